"""Share codes, the public base address, the poster's wording and the certificate PDF, without the app."""

import io
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from pypdf import PdfReader

from contest.certificates.documents import Certificate, Signature, certificates_pdf, document_date
from contest.sharing.addresses import BaseURLError, normalise_base_url
from contest.sharing.codes import ALPHABET, LENGTH, new_share_code, normalise_share_code
from contest.sharing.images import preview_card, qr_png, qr_svg
from contest.sharing.poster import poster_facts, poster_pdf, prizes_text

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
SIGNATURE = Signature("Ủy ban nhân dân phường Tây Mỗ", "Tây Mỗ", "TM. Ban Tổ chức\nTrưởng ban", "Phạm Quốc Khánh")


def test_a_share_code_has_no_look_alike_characters():
    code = new_share_code()
    assert len(code) == LENGTH and set(code) <= set(ALPHABET) and not set("01ilo") & set(ALPHABET)


def test_a_share_code_typed_in_capitals_is_read():
    assert normalise_share_code(" AB3DEFGH ") == "ab3defgh"


def test_text_that_cannot_be_a_share_code_is_refused():
    assert normalise_share_code("ab0defgh") is None and normalise_share_code("abc") is None


def test_the_public_base_url_loses_its_trailing_slash():
    assert normalise_base_url("https://thi.phuong.gov.vn/") == "https://thi.phuong.gov.vn"


def test_a_public_base_url_with_a_path_is_refused():
    with pytest.raises(BaseURLError):
        normalise_base_url("https://thi.phuong.gov.vn/hoithi")


def test_the_document_date_pads_days_below_ten_and_months_below_three():
    assert document_date(date(2026, 2, 5), "Tây Mỗ") == "Tây Mỗ, ngày 05 tháng 02 năm 2026"
    assert document_date(date(2026, 11, 29), "Tây Mỗ") == "Tây Mỗ, ngày 29 tháng 11 năm 2026"


def test_a_certificate_carries_the_name_with_its_diacritics():
    cert = Certificate("Nguyễn Thị Hằng", "Tổ dân phố số 7", "Cuộc thi tìm hiểu CCHC", "Đợt 1", date(2026, 11, 29),
                       award="Giải Nhất")
    text = PdfReader(io.BytesIO(certificates_pdf([cert], SIGNATURE, FONTS))).pages[0].extract_text()
    assert "Nguyễn Thị Hằng" in text and "GIẢI NHẤT" in text


def test_a_name_typed_in_decomposed_unicode_is_printed_composed():
    cert = Certificate("Nguye\u0302\u0303n Thi\u0323 Ha\u0306\u0300ng", "", "Cuộc thi", "Đợt 1", date(2026, 11, 29))
    text = PdfReader(io.BytesIO(certificates_pdf([cert], SIGNATURE, FONTS))).pages[0].extract_text()
    assert "Nguyễn Thị Hằng" in text


def test_a_long_contest_title_wraps_instead_of_leaving_the_page():
    title = "Cuộc thi tìm hiểu về công tác cải cách hành chính và chuyển đổi số " * 3
    cert = Certificate("Nguyễn Thị Hằng", "", title, "Đợt 1", date(2026, 11, 29), award="Giải Ba")
    text = PdfReader(io.BytesIO(certificates_pdf([cert], SIGNATURE, FONTS))).pages[0].extract_text()
    assert text.count("chuyển đổi số") == 3


def test_the_qr_code_is_a_png_and_an_svg():
    assert Image.open(io.BytesIO(qr_png("https://thi.example.vn/c/ab3defgh"))).format == "PNG"
    assert b"<svg" in qr_svg("https://thi.example.vn/c/ab3defgh")


def test_the_preview_card_is_1200_by_630():
    card = preview_card("Cuộc thi tìm hiểu CCHC", "Phường Tây Mỗ", "thi.example.vn/c/ab3defgh",
                        "https://thi.example.vn/c/ab3defgh", FONTS / "DejaVuSerif-Bold.ttf")
    assert Image.open(io.BytesIO(card)).size == (1200, 630)


def test_the_poster_lists_only_the_prize_tiers_a_round_has():
    round_ = SimpleNamespace(prizes_first=1, prizes_second=0, prizes_third=3, prizes_consolation=5)
    assert prizes_text(round_) == "1 giải Nhất, 3 giải Ba, 5 giải Khuyến khích"


def test_the_poster_period_runs_from_the_first_opening_to_the_last_close_in_vietnam_time():
    rounds = [SimpleNamespace(number=2, title="Đợt 2", opens_at=datetime(2026, 12, 7, 17, tzinfo=UTC),
                              closes_at=datetime(2026, 12, 14, 13, tzinfo=UTC), prizes_first=0, prizes_second=0,
                              prizes_third=0, prizes_consolation=0),
              SimpleNamespace(number=1, title="Đợt 1", opens_at=datetime(2026, 11, 30, 17, tzinfo=UTC),
                              closes_at=datetime(2026, 12, 7, 13, tzinfo=UTC), prizes_first=1, prizes_second=0,
                              prizes_third=0, prizes_consolation=0)]
    facts = poster_facts(SimpleNamespace(rounds=rounds), datetime(2026, 11, 21, tzinfo=UTC))
    assert facts.period == "Từ ngày 01/12/2026 đến 20:00 ngày 14/12/2026"
    assert [line.title for line in facts.rounds] == ["Đợt 1", "Đợt 2"]


def _rounds(count):
    return [SimpleNamespace(number=n, title=f"Đợt {n}", opens_at=datetime(2026, 11, 30, 17, tzinfo=UTC),
                            closes_at=datetime(2026, 12, n, 13, tzinfo=UTC), prizes_first=1, prizes_second=2,
                            prizes_third=0, prizes_consolation=0) for n in range(1, count + 1)]


def test_the_pdf_poster_has_title_ward_prizes_steps_and_link_on_one_a4_page():
    facts = poster_facts(SimpleNamespace(rounds=_rounds(3)), datetime(2026, 11, 21, tzinfo=UTC))
    data = poster_pdf("Cuộc thi tìm hiểu CCHC năm 2026", "Ủy ban nhân dân phường Tây Mỗ", "", facts,
                      "thi.taymo.gov.vn/c/ab3defgh", qr_png("https://thi.taymo.gov.vn/c/ab3defgh"), FONTS)
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(pages[0].extract_text().split())
    assert len(pages) == 1 and (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (
        595, 842)
    for expected in ("Cuộc thi tìm hiểu CCHC năm 2026", "ỦY BAN NHÂN DÂN PHƯỜNG TÂY MỖ", "1 giải Nhất, 2 giải Nhì",
                     "Ba bước để tham gia", "Đăng ký bằng số điện thoại", "thi.taymo.gov.vn/c/ab3defgh"):
        assert expected in text, expected


def test_a_pdf_poster_of_many_rounds_goes_on_to_a_second_page_rather_than_off_the_sheet():
    facts = poster_facts(SimpleNamespace(rounds=_rounds(20)), datetime(2026, 11, 21, tzinfo=UTC))
    data = poster_pdf("Cuộc thi", "", "", facts, "thi.taymo.gov.vn/c/ab3defgh",
                      qr_png("https://thi.taymo.gov.vn/c/ab3defgh"), FONTS)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Đợt 20" in text and "thi.taymo.gov.vn/c/ab3defgh" in text
