"""The bank report speaks an organiser's words: a title typed becomes the bank code, no hash codes or SHA-256."""

import io
import re
from pathlib import Path

from contest.contests.models import COLLECTIVE_FORMULAS

DATA = Path(__file__).resolve().parents[1] / "data"


def preview(client, make_user, login, name, **fields):
    make_user(role="organiser", login="btc")
    login("btc")
    payload = {"file": (io.BytesIO((DATA / name).read_bytes()), name), **fields}
    location = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data").headers["Location"]
    return client.get(location).get_data(as_text=True)


def test_a_typed_bank_title_becomes_its_code(client, make_user, login):
    page = preview(client, make_user, login, "aiken-good.txt", bank_name="Ngân hàng CCHC 2026")
    assert "ngan-hang-cchc-2026" in page
    assert "chỉ được gồm chữ thường" not in page


def test_the_report_shows_no_checksum_and_no_hash_question_codes(client, make_user, login):
    page = preview(client, make_user, login, "aiken-good.txt")
    assert "SHA-256" not in page
    # A hash code is "H-" and 16 hex digits (contest.banks.parsing); the page's random upload token may hold "H-".
    assert not re.search(r"(?<![\w-])H-[0-9a-f]{16}(?![\w-])", page)
    assert "Tệp không ghi mã câu" in page


def test_collective_formulas_are_named_for_what_they_do_with_the_province_as_the_example():
    for label in COLLECTIVE_FORMULAS.values():
        assert label.split()[0] in ("Xếp", "Cộng")
        assert "(như thể lệ " in label
