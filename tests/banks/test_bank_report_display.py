"""What the bank report shows an organiser (issue 16 item 14): question codes from GIFT names, text without
GIFT escapes, and how many of the file's questions were read."""

import io

from tests.banks.test_bank_upload_page import sign_in_organiser

TWO_AIKEN = "Câu một?\nA. Có\nB. Không\nANSWER: A\n\nCâu hai?\nA. Một\nB. Hai\nC. Ba\nD. Bốn\nANSWER: E\n"


def report(client, name: str, text: str) -> str:
    payload = {"file": (io.BytesIO(text.encode()), name), "bank_name": "thu"}
    response = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_gift_name_is_shown_as_the_question_code(client, make_user, login):
    sign_in_organiser(make_user, login)
    html = report(client, "bank.gift", "::TC-02::Bộ phận Một cửa đặt ở đâu? {=UBND xã ~Nhà văn hóa}\n")
    assert "TC-02 ·" in html and "H-" not in html


def test_escaped_percent_is_shown_without_its_backslash(client, make_user, login):
    sign_in_organiser(make_user, login)
    html = report(client, "bank.gift", "Tỷ lệ 100\\% hồ sơ trực tuyến? {=Có ~Không}\n")
    assert "Tỷ lệ 100% hồ sơ" in html and "\\%" not in html


def test_answer_beyond_the_options_is_reported_on_its_own_line(client, make_user, login):
    sign_in_organiser(make_user, login)
    html = report(client, "bank.txt", TWO_AIKEN)
    assert "Dòng 11: Đáp án E không có phương án tương ứng" in html and "Dòng 6:" not in html


def test_count_read_says_how_many_questions_the_file_holds(client, make_user, login):
    sign_in_organiser(make_user, login)
    html = report(client, "bank.txt", TWO_AIKEN)
    assert "1 (1 một đáp án) trong số 2 câu của tệp: 1 câu có lỗi" in html


def test_count_read_counts_rows_with_errors_in_a_table(client, make_user, login):
    sign_in_organiser(make_user, login)
    html = report(client, "bank.csv", "Câu hỏi,A,B,Đáp án\nMột?,Có,Không,A\nHai?,Có,Không,E\nBa?,Có,Không,B\n")
    assert "trong số 3 câu của tệp: 1 câu có lỗi" in html


def test_count_read_says_how_many_were_skipped(client, make_user, login):
    sign_in_organiser(make_user, login)
    payload = {"file": (io.BytesIO("Một? {=Có ~Không}\n\nHai? {#2}\n".encode()), "bank.gift"), "bank_name": "thu",
               "skip_unsupported": "y"}
    response = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "trong số 2 câu của tệp: 1 câu bỏ qua" in html


def test_upload_page_says_word_files_with_an_answer_table_are_read(client, make_user, login):
    sign_in_organiser(make_user, login)
    html = client.get("/admin/banks/upload").get_data(as_text=True)
    assert "bảng đáp án ở cuối tệp" in html and "HẾT" in html
