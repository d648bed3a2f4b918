"""The organiser's bank upload page: report, preview, confirm; template and bank downloads; access and CSRF."""

import io
import re
from pathlib import Path

import python_calamine
from sqlalchemy import func, select

from contest.audit.models import AuditEntry
from contest.banks.models import Bank, Question
from contest.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"


def sign_in_organiser(make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")


def upload(client, name: str, data: bytes | None = None, **fields):
    payload = {"file": (io.BytesIO(data if data is not None else (DATA / name).read_bytes()), name), **fields}
    return client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")


def questions() -> int:
    return db.session.scalar(select(func.count(Question.id)))


def test_broken_workbook_shows_row_numbered_errors_and_no_import_button(client, make_user, login):
    sign_in_organiser(make_user, login)
    response = upload(client, "bank-broken.xlsx", bank_name="thu")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Dòng 3: Đáp án E không có phương án tương ứng." in html and "Dòng 7:" in html
    assert "Xác nhận nhập" not in html and questions() == 0


def test_good_file_previews_then_imports_exactly_what_was_checked(client, make_user, login):
    sign_in_organiser(make_user, login)
    preview_url = upload(client, "word-good.docx", bank_name="word-thu").headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    assert "7 câu mới" in html and "Bộ phận Một cửa cấp xã đặt tại đâu?" in html and "(đáp án đúng)" in html
    assert "Câu 5: Bỏ qua đoạn" in html
    response = client.post(preview_url + "/import")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/banks")
    assert questions() == 7 and db.session.scalar(select(Bank.name)) == "word-thu"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bank.import"))
    assert entry.actor_login == "btc"


def test_confirming_twice_imports_once(client, make_user, login):
    sign_in_organiser(make_user, login)
    preview_url = upload(client, "bank-good.xlsx").headers["Location"]
    client.post(preview_url + "/import")
    again = client.post(preview_url + "/import", follow_redirects=True)
    assert "Không còn tệp đã tải lên" in again.get_data(as_text=True)
    assert questions() == 4


def test_a_tampered_stored_file_is_refused(client, make_user, login, app):
    sign_in_organiser(make_user, login)
    preview_url = upload(client, "bank-good.xlsx").headers["Location"]
    token, digest = preview_url.rstrip("/").split("/")[-2:]
    stored = Path(app.instance_path) / "bank-uploads" / f"{token}-{digest}.bin"
    stored.write_bytes((DATA / "bank-broken.xlsx").read_bytes())
    response = client.post(preview_url + "/import", follow_redirects=True)
    assert "bị thay đổi" in response.get_data(as_text=True) and questions() == 0


def test_made_up_token_is_refused_without_touching_files(client, make_user, login):
    sign_in_organiser(make_user, login)
    response = client.get("/admin/banks/upload/..config/" + "0" * 64, follow_redirects=True)
    assert "Đường dẫn tệp tải lên không hợp lệ" in response.get_data(as_text=True)


def test_unknown_file_type_is_refused_with_the_accepted_list(client, make_user, login):
    sign_in_organiser(make_user, login)
    response = upload(client, "ngan-hang.pdf", data=b"%PDF-1.4")
    assert response.status_code == 422 and "Excel (.xlsx)" in response.get_data(as_text=True)


def test_file_over_the_size_limit_is_refused_clearly(make_app, make_user, login):
    from tests.conftest import _empty_tables

    app = make_app(BANK_UPLOAD_MAX_BYTES=1000)
    with app.app_context():
        _empty_tables()
        client = app.test_client()
        make_user(role="organiser", login="btc2")
        client.post("/login", data={"login": "btc2", "password": "mat-khau-an-toan"})
        response = upload(client, "bank-good.xlsx")
        assert response.status_code == 422 and "vượt giới hạn" in response.get_data(as_text=True)


def test_missing_file_is_a_form_error(client, make_user, login):
    sign_in_organiser(make_user, login)
    response = client.post("/admin/banks/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Chọn tệp câu hỏi" in response.get_data(as_text=True)


def test_discard_forgets_the_upload(client, make_user, login):
    sign_in_organiser(make_user, login)
    preview_url = upload(client, "bank-good.xlsx").headers["Location"]
    client.post(preview_url + "/discard")
    assert "Không còn tệp" in client.get(preview_url, follow_redirects=True).get_data(as_text=True)


def test_template_download_is_the_excel_template_with_instructions(client, make_user, login):
    sign_in_organiser(make_user, login)
    response = client.get("/admin/banks/mau-ngan-hang-cau-hoi.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names == ["Câu hỏi", "Hướng dẫn"]


def test_bank_downloads_as_excel_and_gift_and_is_audited(client, make_user, login, small_bank):
    sign_in_organiser(make_user, login)
    listing = client.get("/admin/banks").get_data(as_text=True)
    links = re.findall(r'href="(/admin/banks/ngan-hang-thu/export/\w+)"', listing)
    assert len(links) == 3
    excel = client.get("/admin/banks/ngan-hang-thu/export/xlsx")
    gift = client.get("/admin/banks/ngan-hang-thu/export/gift")
    assert excel.status_code == gift.status_code == 200
    assert "::T-001::" in gift.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "bank.export")) == 2


def test_unknown_bank_or_format_is_not_found(client, make_user, login, small_bank):
    sign_in_organiser(make_user, login)
    assert client.get("/admin/banks/khong-co/export/xlsx").status_code == 404
    assert client.get("/admin/banks/ngan-hang-thu/export/pdf").status_code == 404


def test_residents_cannot_upload_or_download(client, make_user, login, small_bank):
    make_user(role="resident", login="0900000001", phone="0900000001")
    login("0900000001")
    assert client.get("/admin/banks/upload").status_code == 403
    assert upload(client, "bank-good.xlsx").status_code == 403
    assert client.get("/admin/banks/ngan-hang-thu/export/xlsx").status_code == 403


def test_upload_without_csrf_token_is_refused(make_app, make_user, login):
    from tests.conftest import _empty_tables

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        _empty_tables()
        client = app.test_client()
        make_user(role="organiser", login="btc3")
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        client.post("/login", data={"login": "btc3", "password": "mat-khau-an-toan", "csrf_token": token})
        response = upload(client, "bank-good.xlsx")
        assert response.status_code == 400 and db.session.scalar(select(func.count(Question.id))) == 0
