"""Hostile files are refused by the readers themselves, in Vietnamese, within bounded memory and seconds.

The attacks that would exhaust memory run in a child process with a 2 GB address-space limit, so that a
regression fails this test instead of taking the test runner down.
"""

import resource
import subprocess
import sys
import time

import pytest

from contest.banks.formats.docx import parse_docx
from contest.banks.formats.native import parse_json, parse_yaml
from contest.banks.parsing import ParseOptions
from contest.sheets import FileLimits, SheetError, read_table, set_limits, workbook_problem, zip_problem
from tests.hostile_files import (
    corner_workbook,
    csv_rows,
    inflating_docx,
    inflating_workbook,
    nested,
    yaml_alias_bomb,
)

# Child processes waited on with a timeout (subprocess polls with time.sleep); see pyproject.toml.
pytestmark = pytest.mark.realtime

CHILD = """
import sys, time
from contest.sheets import SheetError, read_table
from contest.banks.formats.native import parse_yaml
data = open(sys.argv[1], "rb").read()
start = time.monotonic()
if sys.argv[2].endswith(".yaml"):
    bank = parse_yaml(data)
    print("REFUSED" if bank.errors else "READ", "; ".join(p.message for p in bank.errors))
else:
    try:
        read_table(data, sys.argv[2])
        print("READ")
    except SheetError as exc:
        print("REFUSED", exc)
"""


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def read_in_a_child(tmp_path, data: bytes, name: str) -> tuple[str, float]:
    path = tmp_path / name
    path.write_bytes(data)
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), name], capture_output=True, text=True,
                              timeout=30, preexec_fn=_limit_memory, check=False)
    except subprocess.TimeoutExpired:
        return "TIMEOUT", time.monotonic() - start
    return (done.stdout.strip() or f"DIED {done.returncode}: {done.stderr[-300:]}"), time.monotonic() - start


@pytest.fixture(autouse=True)
def default_limits():
    set_limits(FileLimits())
    yield
    set_limits(FileLimits())


def test_a_workbook_spanning_a1_to_xfd1048576_is_refused_before_it_is_read(tmp_path):
    answer, seconds = read_in_a_child(tmp_path, corner_workbook(), "don-vi.xlsx")
    assert answer.startswith("REFUSED") and "1.048.576 dòng" in answer
    assert seconds < 15


def test_a_workbook_whose_sheet_inflates_past_the_cap_is_refused(tmp_path):
    answer, seconds = read_in_a_child(tmp_path, inflating_workbook(150), "ngan-hang.xlsx")
    assert answer.startswith("REFUSED") and "giải nén" in answer
    assert seconds < 15


def test_a_yaml_alias_bomb_is_refused_in_vietnamese(tmp_path):
    data = yaml_alias_bomb()
    assert len(data) < 600
    answer, seconds = read_in_a_child(tmp_path, data, "bom.yaml")
    assert answer.startswith("REFUSED") and "tham chiếu" in answer
    assert seconds < 15


def test_a_docx_that_inflates_past_the_cap_is_refused():
    bank = parse_docx(inflating_docx(150), ParseOptions())
    assert "giải nén" in bank.errors[0].message


def test_the_inflation_cap_counts_real_bytes_not_declared_sizes():
    assert zip_problem(inflating_workbook(3), FileLimits(max_inflated_bytes=2 * 1024 * 1024)) is not None


def test_an_ordinary_workbook_passes_the_checks():
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    for n in range(1, 200):
        workbook.active.append([n, f"Câu hỏi {n}", "A", "B"])
    out = io.BytesIO()
    workbook.save(out)
    assert workbook_problem(out.getvalue()) is None


def test_a_csv_with_a_million_rows_is_refused_quickly():
    data = csv_rows("Mã đơn vị,Tên đơn vị", "U{n},Đơn vị {n}", 1_000_000)
    start = time.monotonic()
    with pytest.raises(SheetError, match="dòng dữ liệu"):
        read_table(data, "don-vi.csv")
    assert time.monotonic() - start < 5


def test_a_csv_with_a_cell_longer_than_the_reader_takes_is_refused_in_vietnamese():
    data = ("Mã,Tên\nA," + "x" * 200_000 + "\n").encode()
    with pytest.raises(SheetError, match="quá dài"):
        read_table(data, "don-vi.csv")


def test_the_old_binary_xls_is_refused_in_vietnamese():
    with pytest.raises(SheetError, match="chỉ nhận"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "don-vi.xls")


def test_json_nested_100000_deep_is_refused_in_vietnamese():
    bank = parse_json(nested(100_000))
    assert "lồng nhau" in bank.errors[0].message


def test_yaml_nested_100000_deep_is_refused_in_vietnamese():
    bank = parse_yaml(nested(100_000))
    assert "lồng nhau" in bank.errors[0].message


def test_a_yaml_syntax_error_is_explained_in_vietnamese_without_the_parsers_english():
    bank = parse_yaml(b"questions:\n  - id: 1\n   text: [unclosed\n")
    message = bank.errors[0].message
    assert "Lỗi cú pháp YAML" in message and "expected" not in message and "mapping" not in message


def test_a_json_syntax_error_is_explained_in_vietnamese_without_the_parsers_english():
    bank = parse_json(b'{"questions": [}')
    assert "Expecting" not in bank.errors[0].message and "Lỗi cú pháp JSON" in bank.errors[0].message


def test_a_few_yaml_aliases_are_still_read():
    data = (b"t: &t Chung\nquestions:\n  - id: a\n    topic: *t\n    text: Hai cong hai\n"
            b"    options: ['3', '4']\n    answer: B\n")
    assert parse_yaml(data).errors == []
