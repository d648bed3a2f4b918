"""Prize certificates (organisers, after publication) and the participation certificate (its owner only),
read back as text from the PDF."""

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from contest import clock
from contest.audit.models import AuditEntry
from contest.extensions import db


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


def round_url(round_, tail):
    return f"/admin/contests/{round_.contest_id}/rounds/{round_.number}/{tail}"


def test_round_certificates_are_one_pdf_with_a_page_per_winner(client, login, make_user, published_round):
    round_, people = published_round
    make_user(role="organiser", login="btc")
    login("btc")
    pages = pdf_pages(client.get(round_url(round_, "certificates.pdf")))
    assert len(pages) == 2
    assert "Nguyễn Thị Hằng" in pages[0] and "GIẢI NHẤT" in pages[0]
    assert "Trần Văn Đức" in pages[1] and "GIẢI NHÌ" in pages[1]


def test_round_certificates_are_a_landscape_a4(client, login, make_user, published_round):
    round_, _ = published_round
    make_user(role="organiser", login="btc")
    login("btc")
    page = PdfReader(io.BytesIO(client.get(round_url(round_, "certificates.pdf")).data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # 297 × 210 mm in points


def test_a_winners_certificate_carries_unit_round_ward_date_and_signature(client, login, make_user,
                                                                         published_round):
    round_, people = published_round
    make_user(role="organiser", login="btc")
    login("btc")
    [text] = pdf_pages(client.get(round_url(round_, f"certificates/{people['hang'].id}.pdf")))
    for expected in ("Nguyễn Thị Hằng", "Tổ dân phố số 7", "GIẢI NHẤT", "Đợt 1", "ỦY BAN NHÂN DÂN PHƯỜNG TÂY MỖ",
                     "Tây Mỗ, ngày 28 tháng 11 năm 2026", "TRƯỞNG BAN", "Phạm Quốc Khánh",
                     "Cuộc thi tìm hiểu về cải cách hành chính năm 2026"):
        assert expected in text, expected


def test_a_person_without_a_prize_gets_no_prize_certificate(client, login, make_user, published_round):
    round_, people = published_round
    make_user(role="organiser", login="btc")
    login("btc")
    response = client.get(round_url(round_, f"certificates/{people['mai'].id}.pdf"), follow_redirects=True)
    assert response.mimetype == "text/html"
    assert "không có tên trong danh sách đạt giải" in response.get_data(as_text=True)


def test_prize_certificates_wait_for_publication(client, login, make_user, make_round):
    round_ = make_round(prizes_first=1)
    make_user(role="organiser", login="btc")
    login("btc")
    response = client.get(round_url(round_, "certificates.pdf"), follow_redirects=True)
    assert response.mimetype == "text/html"
    assert "Đợt thi chưa công bố kết quả" in response.get_data(as_text=True)


def test_the_round_page_lists_each_winner_with_a_download(client, login, make_user, published_round):
    round_, people = published_round
    make_user(role="organiser", login="btc")
    login("btc")
    html = client.get(round_url(round_, "certificates")).get_data(as_text=True)
    assert f"certificates/{people['hang'].id}.pdf" in html and f"certificates/{people['duc'].id}.pdf" in html
    assert "Lê Thị Mai" not in html


def test_a_resident_cannot_download_prize_certificates(client, login, published_round):
    round_, people = published_round
    login(people["hang"].login)
    assert client.get(round_url(round_, "certificates.pdf")).status_code == 403


def test_a_resident_downloads_their_own_participation_certificate(client, login, published_round):
    round_, people = published_round
    login(people["mai"].login)
    attempt_id = _attempt_of(people["mai"]).id
    [text] = pdf_pages(client.get(f"/attempts/{attempt_id}/certificate.pdf"))
    assert "Lê Thị Mai" in text and "Đã tham gia và hoàn thành bài thi" in text and "Kết quả: 1/4 điểm" in text


def test_someone_elses_participation_certificate_is_not_found(client, login, published_round):
    round_, people = published_round
    login(people["mai"].login)
    assert client.get(f"/attempts/{_attempt_of(people['hang']).id}/certificate.pdf").status_code == 404


def test_an_attempt_that_does_not_count_has_no_certificate(client, login, published_round, finished_attempt):
    round_, people = published_round
    lower = finished_attempt(people["mai"], round_, 0)  # the best attempt counts: this one does not
    login(people["mai"].login)
    assert not lower.counts
    assert client.get(f"/attempts/{lower.id}/certificate.pdf").status_code == 404


def test_an_unfinished_attempt_has_no_certificate(client, login, published_round):
    round_, people = published_round
    attempt = _attempt_of(people["mai"])
    attempt.state, attempt.counts, attempt.finished_at = "in_progress", False, None
    attempt.deadline = clock.now() + timedelta(minutes=15)  # still running: nothing finishes it on the way
    db.session.commit()
    login(people["mai"].login)
    assert client.get(f"/attempts/{attempt.id}/certificate.pdf").status_code == 404


def test_the_result_page_links_the_participation_certificate(client, login, published_round):
    round_, people = published_round
    login(people["mai"].login)
    attempt = _attempt_of(people["mai"])
    html = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert f"/attempts/{attempt.id}/certificate.pdf" in html


def test_the_organiser_sets_the_signature_block_and_it_is_audited(client, login, make_user, make_round):
    round_ = make_round()
    make_user(role="organiser", login="btc")
    login("btc")
    response = client.post(f"/admin/contests/{round_.contest_id}/certificate-signature", data={
        "certificate_issuer": "Ủy ban nhân dân phường Phù Vân", "certificate_place": "Phù Vân",
        "certificate_signer_title": "Chủ tịch", "certificate_signer_name": "Đỗ Thị Lan"})
    assert response.status_code == 302
    db.session.refresh(round_.contest)
    assert (round_.contest.certificate_issuer, round_.contest.certificate_signer_name) == (
        "Ủy ban nhân dân phường Phù Vân", "Đỗ Thị Lan")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.edit"))
    assert entry.changes["certificate_signer_name"] == [None, "Đỗ Thị Lan"]


def _attempt_of(user):
    from contest.attempts.models import Attempt

    return db.session.scalar(select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id))
