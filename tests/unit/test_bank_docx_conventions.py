"""Word files written the way Vietnamese organisers and testing tools (Azota) write them (issue 22): the answer key
at the end, sections, "HẾT", solutions, numbering, options A–H, images. Each document is built by the test."""

import io
import struct
import zlib

from docx import Document

from contest.banks.formats import parse_bank_file

QUESTIONS = ["Câu 1: Bộ phận Một cửa cấp xã đặt ở đâu?", "A. Nhà văn hóa", "B. Trụ sở UBND", "C. Công an",
             "Câu 2: Hồ sơ nộp trực tuyến qua đâu?", "A. Cổng Dịch vụ công", "B. Thư tay", "C. Điện thoại",
             "D. Nhờ người quen"]


class Bold(str):
    """A paragraph written in bold (a marked option)."""


class Heading(str):
    """A paragraph in Word's Heading 1 style."""


class Image:
    """A paragraph holding a small picture."""


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + \
        chunk(b"IEND", b"")


def word(*parts, **options):
    """Parse a document made of paragraphs (str, Bold, Heading, Image) and tables (lists of rows)."""
    doc = Document()
    for part in parts:
        if isinstance(part, list):
            table = doc.add_table(rows=0, cols=max(len(row) for row in part))
            for row in part:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = text
        elif isinstance(part, Image):
            doc.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
        elif isinstance(part, Heading):
            doc.add_heading(str(part), level=1)
        elif isinstance(part, Bold):
            doc.add_paragraph().add_run(str(part)).bold = True
        else:
            doc.add_paragraph(part)
    out = io.BytesIO()
    doc.save(out)
    return parse_bank_file(out.getvalue(), "bo-cau-hoi.docx", **options)


def keys(bank) -> dict[int, tuple[int, ...]]:
    assert bank.ok, [str(e) for e in bank.errors]
    return {q.number: q.correct for q in bank.questions}


def errors(bank) -> list[str]:
    return [str(e) for e in bank.errors]


# --- the answer key at the end -------------------------------------------------------------------------------

def test_key_table_in_rows_keys_each_question():
    bank = word(*QUESTIONS, "BẢNG ĐÁP ÁN", [["Câu", "1", "2"], ["Đáp án", "B", "A"]])
    assert keys(bank) == {1: (1,), 2: (0,)}


def test_key_table_in_columns_keys_each_question():
    bank = word(*QUESTIONS, "Bảng đáp án", [["Câu", "Đáp án"], ["1", "B"], ["2", "A"]])
    assert keys(bank) == {1: (1,), 2: (0,)}


def test_key_table_with_several_pairs_per_row_keys_each_question():
    bank = word(*QUESTIONS, *[q.replace("Câu 1", "Câu 3").replace("Câu 2", "Câu 4") for q in QUESTIONS],
                "Đáp án", [["Câu", "Đáp án", "Câu", "Đáp án"], ["1", "B", "2", "A"], ["3", "C", "4", "D"]])
    assert keys(bank) == {1: (1,), 2: (0,), 3: (2,), 4: (3,)}


def test_key_table_in_two_row_pairs_keys_each_question():
    bank = word(*QUESTIONS, "ĐÁP ÁN", [["1", "2"], ["C", "D"]])
    assert keys(bank) == {1: (2,), 2: (3,)}


def test_key_table_cells_holding_whole_pairs_key_each_question():
    bank = word(*QUESTIONS, "Đáp án", [["1-B", "2-A"]])
    assert keys(bank) == {1: (1,), 2: (0,)}


def test_key_line_after_the_answer_label_keys_each_question():
    assert keys(word(*QUESTIONS, "Đáp án: 1-B, 2-A")) == {1: (1,), 2: (0,)}


def test_key_line_with_dots_keys_each_question():
    assert keys(word(*QUESTIONS, "ĐÁP ÁN", "1.B 2.A")) == {1: (1,), 2: (0,)}


def test_key_line_without_separators_keys_each_question():
    assert keys(word(*QUESTIONS, "Đáp án", "1B 2A")) == {1: (1,), 2: (0,)}


def test_key_line_with_colons_and_tabs_keys_each_question():
    assert keys(word(*QUESTIONS, "Đáp án", "1: B\t2: A")) == {1: (1,), 2: (0,)}


def test_key_line_with_en_dashes_keys_each_question():
    assert keys(word(*QUESTIONS, "Đáp án", "1 – B, 2 – A")) == {1: (1,), 2: (0,)}


def test_key_lines_one_pair_each_key_each_question():
    assert keys(word(*QUESTIONS, "Đáp án", "Câu 1: B", "Câu 2: A")) == {1: (1,), 2: (0,)}


def test_key_line_without_a_heading_after_the_questions_keys_each_question():
    assert keys(word(*QUESTIONS, "1-B 2-A")) == {1: (1,), 2: (0,)}


def test_several_letters_written_together_make_a_multiple_answer_key():
    bank = word(*QUESTIONS, "Đáp án: 1-B, 2-AC")
    assert keys(bank)[2] == (0, 2) and bank.questions[1].kind == "multiple"


def test_several_letters_with_commas_make_a_multiple_answer_key():
    assert keys(word(*QUESTIONS, "Đáp án", "1: B", "2: A, C"))[2] == (0, 2)


def test_end_key_disagreeing_with_a_marked_option_is_an_error_naming_both():
    bank = word("Câu 1: Hỏi?", "A. Một", Bold("B. Hai"), "Đáp án", "1-A")
    assert errors(bank) == ["Câu 1: Đáp án ở bảng đáp án cuối tệp (A) khác phương án được đánh dấu (B); sửa một "
                            "trong hai."]


def test_end_key_disagreeing_with_the_answer_line_is_an_error_naming_both():
    bank = word("Câu 1: Hỏi?", "A. Một", "B. Hai", "Đáp án: B", "BẢNG ĐÁP ÁN", "1-A")
    assert "(A)" in errors(bank)[0] and "Đáp án: B" in errors(bank)[0]


def test_end_key_agreeing_with_a_marked_option_is_accepted():
    assert keys(word("Câu 1: Hỏi?", "A. Một", Bold("B. Hai"), "Đáp án", "1-B")) == {1: (1,)}


def test_end_key_for_a_question_that_does_not_exist_names_it():
    bank = word(*QUESTIONS, "Đáp án: 1-B, 2-A, 3-C")
    assert errors(bank) == ["Câu 3: Bảng đáp án cuối tệp ghi đáp án C cho câu 3 nhưng tệp không có câu 3."]


def test_question_missing_from_the_end_key_is_named():
    bank = word(*QUESTIONS, "Đáp án: 1-B")
    assert [e.number for e in bank.errors] == [2] and "bảng đáp án cuối tệp" in bank.errors[0].message


def test_end_key_letter_beyond_the_options_names_the_question():
    bank = word(*QUESTIONS, "Đáp án: 1-D, 2-A")
    assert errors(bank) == ["Câu 1: Đáp án D (bảng đáp án cuối tệp) không có phương án tương ứng."]


def test_repeated_question_number_with_an_end_key_is_an_error():
    bank = word(*QUESTIONS, "Câu 2: Lặp số?", "A. Có", "B. Không", "Đáp án: 1-B, 2-A")
    assert {e.number for e in bank.errors} == {2} and "đánh số câu liên tục" in bank.errors[0].message


# --- sections ------------------------------------------------------------------------------------------------

def test_phan_with_a_roman_numeral_sets_the_topic():
    bank = word("Phần I. Cải cách thể chế", *QUESTIONS[:4], "Đáp án: 1-B")
    assert bank.questions[0].topic == "Cải cách thể chế"


def test_phan_in_capitals_with_a_number_sets_the_topic_in_sentence_case():
    bank = word("PHẦN 1: CẢI CÁCH THỦ TỤC HÀNH CHÍNH", *QUESTIONS[:4], "Đáp án: 1-B")
    assert bank.questions[0].topic == "Cải cách thủ tục hành chính"


def test_phan_thu_nhat_sets_the_topic():
    bank = word("Phần thứ nhất: Chuyển đổi số", *QUESTIONS[:4], "Đáp án: 1-B")
    assert bank.questions[0].topic == "Chuyển đổi số"


def test_roman_numeral_line_sets_the_topic():
    bank = word("II. Tổ chức bộ máy", *QUESTIONS[:4], "Đáp án: 1-B")
    assert bank.questions[0].topic == "Tổ chức bộ máy"


def test_section_without_a_title_takes_the_next_line():
    bank = word("PHẦN I", "Chế độ công vụ", *QUESTIONS[:4], "Đáp án: 1-B")
    assert bank.questions[0].topic == "Chế độ công vụ"


def test_each_section_sets_the_topic_of_its_own_questions():
    bank = word("Phần I. Cải cách thể chế", *QUESTIONS[:4], "Phần II. Tài chính công", *QUESTIONS[4:],
                "Đáp án: 1-B, 2-A")
    assert [q.topic for q in bank.questions] == ["Cải cách thể chế", "Tài chính công"]


def test_topic_chosen_at_import_wins_over_sections():
    bank = word("Phần I. Cải cách thể chế", *QUESTIONS[:4], "Đáp án: 1-B", topic="Chung toàn phường")
    assert bank.questions[0].topic == "Chung toàn phường"


def test_topic_chosen_at_import_wins_over_headings():
    bank = word(Heading("Cải cách thể chế"), *QUESTIONS[:4], "Đáp án: 1-B", topic="Chung toàn phường")
    assert bank.questions[0].topic == "Chung toàn phường"


# --- HẾT -----------------------------------------------------------------------------------------------------

def test_het_ends_the_questions():
    bank = word(*QUESTIONS[:4], "----- HẾT -----", "Câu 5: Ghi chú của người soạn?", "A. Có", "B. Không",
                "Đáp án: 1-B")
    assert keys(bank) == {1: (1,)}


def test_het_in_lower_case_ends_the_questions():
    bank = word(*QUESTIONS[:4], "Hết.", "Câu 5: Ghi chú?", "A. Có", "B. Không", "Đáp án: 1-B")
    assert [q.number for q in bank.questions] == [1]


def test_key_table_right_after_het_needs_no_heading():
    assert keys(word(*QUESTIONS, "HẾT", [["1", "2"], ["B", "A"]])) == {1: (1,), 2: (0,)}


def test_key_lines_after_het_are_read_past_other_text():
    bank = word(*QUESTIONS, "HẾT", "Giám thị không giải thích gì thêm.", "1-B 2-A")
    assert keys(bank) == {1: (1,), 2: (0,)}


# --- solutions -----------------------------------------------------------------------------------------------

def test_loi_giai_section_gives_each_question_its_explanation():
    bank = word(*QUESTIONS, "Đáp án: 1-B, 2-A", "Lời giải", "Câu 1: Theo Điều 7 Nghị định 61/2018/NĐ-CP.",
                "Câu 2: Theo Nghị định 45/2020/NĐ-CP.")
    assert [q.explanation for q in bank.questions] == ["Theo Điều 7 Nghị định 61/2018/NĐ-CP.",
                                                       "Theo Nghị định 45/2020/NĐ-CP."]


def test_huong_dan_giai_numbered_paragraphs_run_over_several_paragraphs():
    bank = word(*QUESTIONS, "HẾT", "HƯỚNG DẪN GIẢI", "1. Theo Điều 7.", "Bộ phận Một cửa đặt tại trụ sở.",
                "2. Qua Cổng Dịch vụ công.", "Đáp án: 1-B, 2-A")
    assert bank.questions[0].explanation == "Theo Điều 7. Bộ phận Một cửa đặt tại trụ sở."


def test_giai_thich_chi_tiet_section_gives_explanations():
    bank = word(*QUESTIONS, "Đáp án: 1-B, 2-A", "Giải thích chi tiết", "Câu 2. Qua Cổng Dịch vụ công quốc gia.")
    assert bank.questions[1].explanation == "Qua Cổng Dịch vụ công quốc gia."


def test_solution_starting_with_chon_is_the_key_too():
    bank = word(*QUESTIONS, "HẾT", "Lời giải", "Câu 1: Chọn B. Theo Điều 7.", "Câu 2: Chọn A. Qua Cổng.")
    assert keys(bank) == {1: (1,), 2: (0,)} and bank.questions[0].explanation == "Theo Điều 7."


# --- numbering, options, stems -------------------------------------------------------------------------------

def test_question_numbering_in_english_is_read():
    assert keys(word("Question 1. Hỏi?", "A. Một", "B. Hai", "Đáp án: 1-B")) == {1: (1,)}


def test_cau_with_a_dot_is_read():
    assert keys(word("Câu 7. Hỏi?", "A. Một", "B. Hai", "Đáp án: 7-A")) == {7: (0,)}


def test_plain_numbers_are_read_when_only_the_solutions_write_cau():
    bank = word("1. Hỏi một?", "A. Có", "B. Không", "2. Hỏi hai?", "A. Có", "B. Không", "Đáp án: 1-A, 2-B",
                "Lời giải", "Câu 1: Vì có.", "Câu 2: Vì không.")
    assert keys(bank) == {1: (0,), 2: (1,)}


def test_options_g_and_h_are_read_as_options():
    bank = word("Câu 1: Tám phương án?", *[f"{letter}. Phương án {letter}" for letter in "ABCDEFGH"], "Đáp án: 1-B")
    assert errors(bank) == ["Câu 1: Có 8 phương án; tối đa là 6."]


def test_option_f_is_keyed_from_the_end_key():
    bank = word("Câu 1: Sáu phương án?", "A. a1\tB. b1\tC. c1", "D. d1\tE. e1\tF. f1", "Đáp án: 1-F")
    assert keys(bank) == {1: (5,)}


def test_stem_over_several_paragraphs_is_joined():
    bank = word("Câu 1: Theo Nghị định 61/2018/NĐ-CP,", "Bộ phận Một cửa cấp xã", "đặt ở đâu?", "A. Nhà văn hóa",
                "B. Trụ sở UBND", "Đáp án: 1-B")
    assert bank.questions[0].text == "Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa cấp xã đặt ở đâu?"


# --- images --------------------------------------------------------------------------------------------------

def test_image_in_a_question_is_reported_naming_the_question():
    bank = word(*QUESTIONS[:5], Image(), *QUESTIONS[5:], "Đáp án: 1-B, 2-A")
    assert [e.number for e in bank.errors] == [2] and "hình ảnh" in bank.errors[0].message
    assert str(bank.errors[0]).startswith("Câu 2: Câu hỏi có hình ảnh")


def test_image_question_is_skipped_with_a_warning_when_asked():
    bank = word(*QUESTIONS[:5], Image(), *QUESTIONS[5:], "Đáp án: 1-B, 2-A", skip_unsupported=True)
    assert keys(bank) == {1: (1,)} and [s.number for s in bank.skipped] == [2]


def test_image_before_the_first_question_is_not_reported():
    assert keys(word(Image(), *QUESTIONS, "Đáp án: 1-B, 2-A")) == {1: (1,), 2: (0,)}


def test_count_of_questions_in_the_file_includes_the_broken_ones():
    bank = word(*QUESTIONS, "Đáp án: 1-B")
    assert (len(bank.questions), bank.found) == (1, 2)


def test_the_readme_example_reads_as_the_readme_says():
    bank = word("PHẦN I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "Câu 1. Bộ phận Một cửa cấp xã đặt ở đâu?",
                "A. Nhà văn hóa\tB. Trụ sở UBND cấp xã\tC. Công an\tD. Bưu điện",
                "Câu 2: Những kênh nào dùng để nộp hồ sơ?", "A. Trực tiếp\tB. Trực tuyến\tC. Nhờ người quen",
                "----- HẾT -----", "BẢNG ĐÁP ÁN", [["Câu", "1", "2"], ["Đáp án", "B", "AB"]], "LỜI GIẢI",
                "Câu 1: Chọn B. Theo Điều 7 Nghị định 61/2018/NĐ-CP.")
    assert keys(bank) == {1: (1,), 2: (0, 1)}
    assert {q.topic for q in bank.questions} == {"Cải cách thủ tục hành chính"}
    assert bank.questions[0].explanation == "Theo Điều 7 Nghị định 61/2018/NĐ-CP."


def test_blank_solution_label_under_a_question_does_not_swallow_the_next_questions():
    bank = word("Câu 1: Hỏi một?", "A. Có", Bold("B. Không"), "Hướng dẫn giải:", "Câu 2: Hỏi hai?", Bold("A. Có"),
                "B. Không")
    assert keys(bank) == {1: (1,), 2: (0,)}


def test_dap_an_va_loi_giai_heading_reads_keys_and_explanations():
    bank = word(*QUESTIONS, "ĐÁP ÁN VÀ LỜI GIẢI", "Câu 1: Chọn B. Theo Điều 7.", "Câu 2: Chọn A. Qua Cổng.")
    assert keys(bank) == {1: (1,), 2: (0,)} and bank.questions[1].explanation == "Qua Cổng."


def test_per_question_solution_line_is_the_explanation():
    bank = word("Câu 1: Hỏi?", "A. Có", Bold("B. Không"), "Lời giải: Theo Điều 7.")
    assert bank.questions[0].explanation == "Theo Điều 7."


def test_option_in_a_bold_character_style_is_the_key():
    doc = Document()
    for text in ("Câu 1: Hỏi?", "A. Có"):
        doc.add_paragraph(text)
    doc.add_paragraph().add_run("B. Không", style="Strong")
    out = io.BytesIO()
    doc.save(out)
    assert keys(parse_bank_file(out.getvalue(), "x.docx")) == {1: (1,)}
