"""An organiser loads a Word file written the Azota way (sections, "HẾT", an answer table at the end, "Lời giải")
in real Chromium: the report counts what was read and the preview shows each key and topic."""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_bank_upload import office_page, organiser  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e


def test_organiser_imports_a_word_file_keyed_by_its_answer_table(live_server, organiser, office_page,  # noqa: F811
                                                                  tmp_path):
    doc = Document()
    for text in ("PHẦN I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "Câu 1. Bộ phận Một cửa cấp xã đặt ở đâu?",
                 "A. Nhà văn hóa\tB. Trụ sở UBND cấp xã", "Câu 2. Hồ sơ trực tuyến nộp qua đâu?",
                 "A. Cổng Dịch vụ công\tB. Thư tay", "Câu 3. Câu hỏi thừa trong bảng đáp án?", "A. Có\tB. Không",
                 "----- HẾT -----", "BẢNG ĐÁP ÁN"):
        doc.add_paragraph(text)
    table = doc.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, (["Câu", "1", "2"], ["Đáp án", "B", "A"]), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    doc.add_paragraph("LỜI GIẢI")
    doc.add_paragraph("Câu 1: Theo Điều 7 Nghị định 61/2018/NĐ-CP.")
    path = tmp_path / "bo-cau-hoi.docx"
    doc.save(str(path))

    page = office_page
    sign_in(page, live_server.url, *organiser)
    page.goto(live_server.url + "/admin/banks/upload")
    page.get_by_label("Tệp câu hỏi").set_input_files(str(path))
    page.get_by_label("Tên ngân hàng (không bắt buộc)").fill("word-azota")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("Câu 3: Thiếu đáp án đúng")).to_be_visible()
    expect(page.get_by_text(re.compile("trong số 3 câu của tệp: 1 câu có lỗi"))).to_be_visible()

    doc.paragraphs[5].text = "Câu 3. Câu hỏi có trong bảng đáp án?"
    table.add_column(table.columns[0].width)
    table.cell(0, 3).text, table.cell(1, 3).text = "3", "A"
    doc.save(str(path))
    page.get_by_role("link", name="Tải tệp khác lên").click()
    page.get_by_label("Tệp câu hỏi").set_input_files(str(path))
    page.get_by_label("Tên ngân hàng (không bắt buộc)").fill("word-azota")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("3 câu mới, 0 câu cập nhật")).to_be_visible()
    expect(page.get_by_text("B. Trụ sở UBND cấp xã ✓ (đáp án đúng)")).to_be_visible()
    expect(page.get_by_text(re.compile("Cải cách thủ tục hành chính \\(3\\)"))).to_be_visible()
    page.get_by_role("button", name="Xác nhận nhập 3 câu hỏi").click()
    expect(page.get_by_text("Đã nhập. Ngân hàng “word-azota”: 3 câu mới")).to_be_visible()
