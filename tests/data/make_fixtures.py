"""Write the bank fixtures of tests/data (real-looking Excel, CSV, Aiken, GIFT and Word files, good and broken).

Run from the project root after changing this script: ``.venv/bin/python -m tests.data.make_fixtures``. The
files are committed; tests read them as an organiser's files, never rebuild them.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
FIXED = datetime(2026, 1, 5, 8, 0, 0)
SOURCE = "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ"

TEMPLATE = ["STT", "Mã câu", "Chủ đề", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D",
            "Đáp án", "Loại câu", "Độ khó", "Giải thích", "Nguồn"]
GOOD_ROWS = [
    [1, "X-001", "Cải cách thủ tục hành chính", "Bộ phận Một cửa cấp xã đặt tại đâu?",
     "Trung tâm phục vụ hành chính công", "Nhà văn hóa tổ dân phố", "Trụ sở Công an phường", "Bưu điện",
     "A", "một đáp án", "dễ", "", "Nghị định số 61/2018/NĐ-CP"],
    [2, "X-002", "", "Những kênh nào dùng để nộp hồ sơ thủ tục hành chính?",
     "Trực tiếp tại Bộ phận Một cửa", "Qua dịch vụ bưu chính công ích", "Qua Cổng Dịch vụ công quốc gia",
     "Qua tin nhắn cá nhân của cán bộ", "a, b ,c", "nhiều đáp án", "trung bình", "Ô chủ đề trống lấy chủ đề dòng trên.",
     "Nghị định số 61/2018/NĐ-CP"],
    [3, "X-003", "Chuyển đổi số", "Tài khoản định danh điện tử mức độ 2 được dùng để đăng nhập Cổng Dịch vụ công "
     "quốc gia.", "Đúng", "Sai", "", "", "Đúng", "đúng sai", "Khó", "", "Nghị định số 69/2024/NĐ-CP"],
    [4, None, "Chỉ đạo, điều hành CCHC", "Chương trình tổng thể CCHC giai đoạn 2021-2030 có bao nhiêu nội dung?",
     4, 5, 6, 7, "c", None, None, None, SOURCE],
]
BROKEN_ROWS = [
    [1, "L-001", "Cải cách thể chế", "Câu chỉ có một phương án?", "Duy nhất", "", "", "", "A", "", "", "", ""],
    [2, "L-002", "Cải cách thể chế", "Câu có đáp án ngoài phạm vi?", "Một", "Hai", "Ba", "Bốn", "E", "", "", "",
     ""],
    [3, "L-003", "Cải cách thể chế", "Câu thiếu đáp án?", "Một", "Hai", "", "", "", "", "", "", ""],
    [4, "L-004", "Cải cách thể chế", "", "Một", "Hai", "", "", "A", "", "", "", ""],
    [5, "L-005", "Cải cách thể chế", "Câu một đáp án nhưng ghi hai?", "Một", "Hai", "Ba", "", "A, B", "một đáp án",
     "", "", ""],
    [6, "L-006", "Cải cách thể chế", "Câu có độ khó lạ?", "Một", "Hai", "", "", "B", "", "rất khó", "", ""],
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def workbook(name: str) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(HERE / name), {"strings_to_numbers": False})
    book.set_properties({"created": FIXED, "author": "Phòng Văn hóa – Xã hội"})
    return book


def write_rows(sheet, rows, first_row=0, header_format=None) -> None:
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value, header_format if r == first_row and header_format else None)


def excel_fixtures() -> None:
    book = workbook("bank-good.xlsx")
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Câu hỏi")
    header = list(TEMPLATE)
    header[3] = "NỘI DUNG CÂU HỎI (*)"  # as organisers retype headers
    header[8] = "Đáp án đúng"
    write_rows(sheet, [header] + GOOD_ROWS, header_format=bold)
    book.add_worksheet("Trống")
    notes = book.add_worksheet("Hướng dẫn")
    notes.write_string(0, 0, "Điền mỗi câu hỏi một dòng.")
    book.close()

    book = workbook("bank-broken.xlsx")
    sheet = book.add_worksheet("Câu hỏi")
    write_rows(sheet, [TEMPLATE] + BROKEN_ROWS)
    book.close()

    # Two-row header: "Phương án trả lời" merged over A–D, STT / Câu hỏi / Đáp án merged downwards; no topic
    # column, so each sheet's name is the topic. Text typed in decomposed Unicode (NFD), as some keyboards do.
    book = workbook("bank-merged-header.xlsx")
    merged = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    for sheet_name, rows in (
        ("Cải cách thể chế", [[1, nfd("Luật Ban hành văn bản quy phạm pháp luật hiện hành được thông qua năm nào?"),
                               "2015", "2020", "2025", "2008", "C"],
                              [2, nfd("Văn bản nào là văn bản quy phạm pháp luật?"), nfd("Nghị định"),
                               nfd("Công văn"), nfd("Tờ trình"), nfd("Báo cáo"), "A"]]),
        ("Tài chính công", [[1, "Cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập quy định ở nghị định nào?",
                             "Nghị định số 60/2021/NĐ-CP", "Nghị định số 16/2015/NĐ-CP", "Nghị định số 43/2006/NĐ-CP",
                             "Nghị định số 130/2005/NĐ-CP", "A"]]),
    ):
        sheet = book.add_worksheet(sheet_name)
        sheet.merge_range(0, 0, 1, 0, "STT", merged)
        sheet.merge_range(0, 1, 1, 1, "Câu hỏi", merged)
        sheet.merge_range(0, 2, 0, 5, "Phương án trả lời", merged)
        for col, letter in enumerate("ABCD", start=2):
            sheet.write_string(1, col, letter, merged)
        sheet.merge_range(0, 6, 1, 6, "Đáp án", merged)
        write_rows(sheet, rows, first_row=2)
    book.close()

    book = workbook("bank-empty.xlsx")
    book.add_worksheet("Sheet1")
    book.close()


def text_fixtures() -> None:
    lines = [",".join(["Câu hỏi", "A", "B", "C", "D", "Đáp án"]),
             "Cơ quan nào chủ trì Cuộc thi tìm hiểu về CCHC của phường?,UBND phường,Công an phường,"
             "Trạm Y tế,Trường Tiểu học,A",
             '"Dịch vụ công trực tuyến toàn trình là gì?","Thực hiện toàn bộ trên môi trường mạng",'
             '"Nộp hồ sơ giấy","Gọi điện thoại","Gửi thư tay",a']
    (HERE / "bank-good.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["STT;Mã câu;Lĩnh vực;Nội dung;Lựa chọn A;Lựa chọn B;Lựa chọn C;Đáp án;Mức độ",
            "1;S-01;Tổ chức bộ máy;Từ 1/7/2025 chính quyền địa phương có mấy cấp?;Hai cấp;Ba cấp;Bốn cấp;A;Dễ",
            "2;S-02;Tổ chức bộ máy;Đơn vị hành chính cấp cơ sở gồm những loại nào?;Xã, phường, đặc khu;Huyện, quận;"
            "Tỉnh, thành phố;A;trung bình"]
    (HERE / "bank-semicolon-bom.csv").write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    broken = [",".join(["Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Đáp án"]),
              "Câu đầu tiên đúng?,Một,Hai,Ba,B",
              "Câu chỉ có một phương án?,Một,,,A",
              "Câu đáp án lạ?,Một,Hai,Ba,X"]
    (HERE / "bank-broken.csv").write_text("\n".join(broken) + "\n", encoding="utf-8")

    aiken = [
        "Cơ quan nào tiếp nhận hồ sơ thủ tục hành chính của người dân tại phường?",
        "A. Bộ phận Một cửa",
        "B. Tổ dân phố",
        "C. Hội Cựu chiến binh",
        "ANSWER: A",
        "",
        "Phiếu đánh giá mức độ hài lòng của người dân dùng để làm gì?",
        "a) Đo lường sự hài lòng đối với dịch vụ hành chính công",
        "b) Xếp loại hộ gia đình",
        "c) Tính thuế",
        "d) Cấp giấy phép",
        "",
        "answer: a",
        "",
        "Chỉ số PAR INDEX đo lường kết quả nào?",
        "a. Cải cách hành chính",
        "b. Tăng trưởng kinh tế",
        "Đáp án: A",
        "",
    ]
    (HERE / "aiken-good.txt").write_bytes(("\ufeff" + "\r\n".join(aiken)).encode("utf-8"))
    aiken_broken = [
        "Câu chỉ có một phương án?",
        "A. Duy nhất",
        "ANSWER: A",
        "",
        "Câu có đáp án ngoài phạm vi?",
        "A. Một",
        "B. Hai",
        "ANSWER: D",
        "",
        "Câu thiếu dòng đáp án?",
        "A. Một",
        "B. Hai",
        "",
        "Câu ghi nhãn sai thứ tự?",
        "A. Một",
        "C. Hai",
        "ANSWER: A",
        "",
        "ANSWER: B",
    ]
    (HERE / "aiken-broken.txt").write_text("\n".join(aiken_broken) + "\n", encoding="utf-8")
    (HERE / "aiken-nfd.txt").write_text(nfd("Thủ tục hành chính là gì?\nA. Trình tự, cách thức thực hiện\n"
                                            "B. Một loại thuế\nANSWER: A\n"), encoding="utf-8")

    gift = r"""// Ngân hàng thử theo định dạng GIFT (Moodle)
$CATEGORY: $course$/top/CCHC/Cải cách thủ tục hành chính

// question: 101  name: Một cửa
// [id:G-001] [tag:dễ]
::Một cửa::Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa cấp xã đặt tại đâu? {
=Trụ sở UBND cấp xã hoặc Trung tâm phục vụ hành chính công#Đúng.
~Nhà văn hóa tổ dân phố#Sai.
~Trụ sở Công an
#### Xem Điều 7 Nghị định số 61/2018/NĐ-CP.
}

// [id:G-002] [tag:khó]
// Nguồn: Nghị định số 45/2020/NĐ-CP
::Kênh nộp::[html]Những kênh nào <b>được</b> dùng để nộp hồ sơ? {
~%50%Trực tiếp
~%50%Trực tuyến
~%-100%Nhờ người quen
}

$CATEGORY: $course$/top/Chuyển đổi số

// [id:G-003]
Mã QR trên giấy tờ điện tử thay thế được bản giấy trong mọi trường hợp.{FALSE#Không phải mọi trường hợp.}

// [id:G-004]
Ký tự đặc biệt \{ \} \~ \= \# \: được viết có dấu gạch chéo ngược? {=Có ~Không}
"""
    (HERE / "gift-good.gift").write_text(gift, encoding="utf-8")
    gift_broken = """$CATEGORY: $course$/top/Cải cách thể chế

::Thiếu ngoặc::Câu có khối đáp án không đóng? {
=Một
~Hai

::Một phương án::Câu chỉ có một phương án? {=Duy nhất ~}

::Thiếu đáp án::Câu không có đáp án đúng? {~Một ~Hai}

::Trống:: {=Một ~Hai}

::Dư ngoặc::Câu có dấu } thừa? {=Một ~Hai}
"""
    (HERE / "gift-broken.gift").write_text(gift_broken, encoding="utf-8")
    gift_unsupported = """$CATEGORY: $course$/top/Chế độ công vụ

::Trắc nghiệm::Công chức cấp xã do ai quản lý? {=UBND cấp xã ~Tổ dân phố}

::Trả lời ngắn::Viết tắt của cải cách hành chính là gì? {=CCHC =cchc}

::Số::Luật Cán bộ, công chức năm 2025 có hiệu lực từ năm nào? {#2026}

::Ghép cặp::Ghép cơ quan với nhiệm vụ {=UBND -> quản lý =HĐND -> giám sát =Công an -> an ninh}

::Tự luận::Nêu ý kiến của anh/chị về CCHC. {}

::Mô tả::Phần sau gồm các câu về chế độ công vụ.

::Điền từ::Công chức phải {=tận tụy ~lơ là} phục vụ nhân dân.

::Đúng sai::Cán bộ, công chức phải công khai kê khai tài sản theo quy định.{T}
"""
    (HERE / "gift-unsupported.gift").write_text(gift_unsupported, encoding="utf-8")


def word_fixtures() -> None:
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    def paragraph(doc, *parts):
        """Add a paragraph of (text, style) runs; style is '', 'bold', 'underline', 'highlight' or 'red'."""
        p = doc.add_paragraph()
        for text, style in parts:
            run = p.add_run(text)
            if style == "bold":
                run.bold = True
            elif style == "underline":
                run.underline = True
            elif style == "highlight":
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            elif style == "red":
                run.font.color.rgb = RGBColor(0xFF, 0, 0)
        return p

    doc = Document()
    doc.core_properties.created = FIXED
    doc.core_properties.modified = FIXED
    doc.add_paragraph("BỘ CÂU HỎI CUỘC THI TÌM HIỂU VỀ CẢI CÁCH HÀNH CHÍNH NĂM 2026", style="Title")
    doc.add_heading("Phần I: Cải cách thủ tục hành chính", level=1)
    paragraph(doc, ("Câu 1:", "bold"), (" Bộ phận Một cửa cấp xã đặt tại đâu?", ""))
    paragraph(doc, ("A. Nhà văn hóa tổ dân phố", ""))
    paragraph(doc, ("B. Trung tâm phục vụ hành chính công", "bold"))
    paragraph(doc, ("C. Trụ sở Công an phường", ""))
    paragraph(doc, ("Câu 2.", "bold"), (" Thời hạn giải quyết thủ tục được tính theo ngày nào?", ""))
    paragraph(doc, ("A. Ngày làm việc", "underline"))
    paragraph(doc, ("B. Ngày lễ", ""))
    paragraph(doc, ("Câu 3: Những kênh nào dùng để nộp hồ sơ?", ""))
    paragraph(doc, ("a) Trực tiếp", "highlight"), ("\t", ""), ("b) Trực tuyến", "highlight"), ("\t", ""),
              ("c) Nhờ người quen", ""))
    paragraph(doc, ("Loại: nhiều đáp án", ""))
    doc.add_heading("Phần II: Chuyển đổi số", level=1)
    p = paragraph(doc, ("Câu 4: Tài khoản định danh điện tử mức 2 do cơ quan nào cấp?", ""))
    p.add_run().add_break()
    p.add_run("A. Bộ Công an").font.color.rgb = RGBColor(0xC0, 0, 0)
    p.add_run().add_break()
    p.add_run("B. Bộ Tư pháp")
    paragraph(doc, ("Câu 5: Dịch vụ công trực tuyến toàn trình cho phép làm gì?", ""))
    paragraph(doc, ("A. Nộp hồ sơ giấy", ""))
    paragraph(doc, ("B. Thực hiện toàn bộ thủ tục trên môi trường mạng", ""))
    paragraph(doc, ("Đáp án: B", ""))
    paragraph(doc, ("Giải thích: Người dân không phải đến cơ quan nhà nước.", ""))
    paragraph(doc, ("Nguồn: Nghị định số 42/2022/NĐ-CP", ""))
    doc.add_paragraph("Câu hỏi dạng bảng:")
    table = doc.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ["STT", "Câu hỏi", "A", "B", "C", "Đáp án"], strict=True):
        cell.text = text
    for values in (["6", "Văn bản nào quy định về tổ chức chính quyền địa phương?", "Luật Tổ chức chính quyền "
                    "địa phương", "Luật Đất đai", "Luật Thuế", "A"],
                   ["7", "Chính quyền địa phương có mấy cấp từ 1/7/2025?", "Một", "Hai", "Ba", ""]):
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(text)
            if values[0] == "7" and index == 3:
                run.bold = True
    doc.save(str(HERE / "word-good.docx"))

    doc = Document()
    doc.core_properties.created = FIXED
    doc.core_properties.modified = FIXED
    paragraph(doc, ("Câu 1: Câu chỉ có một phương án?", ""))
    paragraph(doc, ("A. Duy nhất", "bold"))
    paragraph(doc, ("Câu 2: Câu có đáp án ngoài phạm vi?", ""))
    paragraph(doc, ("A. Một", ""))
    paragraph(doc, ("B. Hai", ""))
    paragraph(doc, ("Đáp án: E", ""))
    paragraph(doc, ("Câu 3: Câu không đánh dấu đáp án?", ""))
    paragraph(doc, ("A. Một", ""))
    paragraph(doc, ("B. Hai", ""))
    paragraph(doc, ("Câu 4:", ""))
    paragraph(doc, ("A. Một", "bold"))
    paragraph(doc, ("B. Hai", ""))
    paragraph(doc, ("Câu 5: Câu in đậm mọi phương án?", "bold"))
    paragraph(doc, ("A. Một", "bold"))
    paragraph(doc, ("B. Hai", "bold"))
    doc.save(str(HERE / "word-broken.docx"))

    doc = Document()
    doc.core_properties.created = FIXED
    doc.core_properties.modified = FIXED
    paragraph(doc, ("1. Phường có bao nhiêu tổ dân phố trong ví dụ này?", ""))
    paragraph(doc, ("a) Mười", ""))
    paragraph(doc, ("b) Hai mươi", "red"))
    paragraph(doc, ("2. Ai là người đứng đầu UBND phường?", ""))
    paragraph(doc, ("a. Chủ tịch UBND phường", ""))
    paragraph(doc, ("b. Bí thư chi bộ tổ dân phố", ""))
    paragraph(doc, ("Đáp án: a", ""))
    doc.save(str(HERE / "word-numbered.docx"))


if __name__ == "__main__":
    excel_fixtures()
    text_fixtures()
    word_fixtures()
    print("Đã ghi các tệp mẫu vào", HERE)
