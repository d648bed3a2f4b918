"""One hand-over of an upload to a background job (contest.jobs.handover), for the bank check, the bank, roster
and units imports: written into the jobs folder under a checked name with its SHA-256, read back checked, deleted;
the sweep deletes the handed files no job read."""

import os
import re
from datetime import timedelta

import pytest

from contest import clock
from contest.jobs.handover import forget, hand_over, handed_bytes, sweep_handed
from contest.jobs.progress import JobFailed


@pytest.fixture
def folder(app, tmp_path):
    app.config["JOBS_FOLDER"] = str(tmp_path)
    return tmp_path


def test_a_handed_file_is_read_back_as_given(folder):
    params = hand_over("bank-check", b"noi dung", "tep.xlsx", token="t")
    assert (handed_bytes(params), params["filename"], params["token"]) == (b"noi dung", "tep.xlsx", "t")


def test_every_kind_is_named_by_one_pattern(folder):
    kinds = ("bank-check", "bank-import", "roster-import", "units-import")
    names = [hand_over(what, b"x", "f")["file"] for what in kinds]
    assert all(re.fullmatch(rf"{what}-[A-Za-z0-9_\-]{{32}}\.bin", name) for what, name in zip(kinds, names, strict=True))


def test_a_changed_file_is_refused(folder):
    params = hand_over("units-import", b"truoc", "don-vi.csv")
    (folder / params["file"]).write_bytes(b"sau")
    with pytest.raises(JobFailed, match="bị thay đổi"):
        handed_bytes(params)


@pytest.mark.parametrize("name", ["../bank-import-aaaaaaaaaaaaaaaaaaaaaaaa.bin", "/etc/passwd", "x.bin",
                                  "bank-import-aaaaaaaaaaaaaaaaaaaaaaaa.json", ""])
def test_a_bad_name_is_refused(folder, name):
    with pytest.raises(JobFailed, match="không hợp lệ"):
        handed_bytes({"file": name, "sha256": "0" * 64})


def test_a_bad_kind_is_refused(folder):
    with pytest.raises(ValueError):
        hand_over("../bank", b"x", "f")


def test_a_missing_file_is_refused(folder):
    params = hand_over("roster-import", b"x", "can-bo.csv")
    forget(params)
    with pytest.raises(JobFailed, match="Không còn tệp"):
        handed_bytes(params)


def test_forget_deletes_only_the_handed_file(folder):
    params = hand_over("bank-import", b"x", "f")
    (folder / "12-abcdef.xlsx").write_bytes(b"an export")
    forget(params)
    forget({"file": "12-abcdef.xlsx"})
    assert [p.name for p in folder.iterdir()] == ["12-abcdef.xlsx"]


def test_the_sweep_deletes_old_handed_files_of_every_kind_and_nothing_else(folder):
    old = [hand_over(what, b"x", "f")["file"] for what in ("bank-check", "roster-import")]
    fresh = hand_over("units-import", b"x", "f")["file"]
    (folder / "7-0123456789abcdef.xlsx").write_bytes(b"an export")
    for name, hours in [*((name, 49) for name in old), ("7-0123456789abcdef.xlsx", 49), (fresh, 47)]:
        moment = (clock.now() - timedelta(hours=hours)).timestamp()
        os.utime(folder / name, (moment, moment))
    assert sweep_handed((clock.now() - timedelta(hours=48)).timestamp()) == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted([fresh, "7-0123456789abcdef.xlsx"])
