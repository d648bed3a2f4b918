"""Bank import warns (never refuses) about a topic name that nearly matches an existing topic."""

import io

from contest.banks.importing import check_bank_file, import_bank

ONE_QUESTION = ("bank: {bank}\nquestions:\n  - id: {code}\n    topic: {topic}\n    text: Câu hỏi về {topic}?\n"
                "    options: [Một, Hai]\n    answer: A\n")


def bank_file(topic: str, bank: str = "thu-nghiem", code: str = "TN-1") -> bytes:
    return ONE_QUESTION.format(bank=bank, code=code, topic=topic).encode()


def test_the_upload_preview_warns_about_a_topic_that_nearly_matches_an_existing_one(client, make_user, login):
    assert import_bank(bank_file("Cải cách chế độ công vụ", "mac-dinh", "MD-1"), "mac-dinh.yaml").ok
    make_user(role="organiser", login="btc")
    login("btc")
    response = client.post("/admin/banks/upload", data={"file": (io.BytesIO(bank_file("Chế độ công vụ")), "thu.yaml")},
                           content_type="multipart/form-data")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chủ đề “Chế độ công vụ” gần giống chủ đề đã có “Cải cách chế độ công vụ”" in html
    assert "Xác nhận nhập" in html  # a warning, not an error


def test_a_near_topic_does_not_stop_the_import(app):
    assert import_bank(bank_file("Cải cách chế độ công vụ", "mac-dinh", "MD-1"), "mac-dinh.yaml").ok
    report = import_bank(bank_file("Chế độ công vụ"), "thu.yaml")
    assert report.ok and report.added == 1


def test_an_accent_variant_is_filed_under_the_existing_topic_and_said_so(app):
    assert import_bank(bank_file("Cải cách thể chế", "mac-dinh", "MD-1"), "mac-dinh.yaml").ok
    parsed = check_bank_file(bank_file("cai cach the che"), "thu.yaml")
    assert [str(w) for w in parsed.warnings if "Chủ đề" in str(w)] == [
        "Chủ đề “cai cach the che” chỉ khác chủ đề đã có “Cải cách thể chế” ở dấu, chữ hoa/thường hoặc khoảng "
        "trắng nên các câu hỏi được xếp chung vào một chủ đề."]


def test_reimporting_a_bank_with_its_own_topics_warns_about_none(app):
    data = bank_file("Cải cách chế độ công vụ", "mac-dinh", "MD-1")
    assert import_bank(data, "mac-dinh.yaml").ok
    assert check_bank_file(data, "mac-dinh.yaml").warnings == []
