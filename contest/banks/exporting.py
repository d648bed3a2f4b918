"""Write a bank back out: the Excel organiser template, GIFT, Aiken and native YAML. Pure: no Flask, no database.

Each writer takes :class:`~contest.banks.parsing.ParsedQuestion` items, so whatever the parsers read they can
write, and export → import gives the same questions and keys (Excel, GIFT, YAML). Aiken cannot say everything:
:func:`bank_aiken` returns, beside the text, the list of what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import IO

import xlsxwriter
import yaml

from contest.banks.formats.tabular import OPTION_LETTERS, TEMPLATE_HEADERS
from contest.banks.parsing import TRUE_FALSE_OPTIONS, ParsedQuestion

KIND_LABELS = {"single": "một đáp án", "multiple": "nhiều đáp án", "true_false": "đúng sai"}
DIFFICULTY_LABELS = {"easy": "dễ", "medium": "trung bình", "hard": "khó"}
QUESTION_SHEET = "Câu hỏi"
INSTRUCTIONS_SHEET = "Hướng dẫn"
_TEMPLATE_ROWS = 2000  # rows of the template that get the drop-down lists
_GIFT_SPECIAL = "~=#{}:"
_GIFT_WEIGHT_LIKE = re.compile(r"\s*%[^%]*%")

INSTRUCTIONS: list[tuple[str, str, str]] = [
    ("STT", "Không bắt buộc", "Số thứ tự, chỉ để dễ đọc; hệ thống không dùng."),
    ("Mã câu", "Nên có", "Mã riêng của câu hỏi, ví dụ NQ76-001. Giữ nguyên mã khi sửa câu hỏi để lần nhập sau "
     "cập nhật đúng câu đó; không có mã thì hệ thống nhận câu theo nội dung."),
    ("Chủ đề", "Nên có", "Lĩnh vực CCHC của câu hỏi, ví dụ “Cải cách thủ tục hành chính”. Ô trống lấy chủ đề "
     "của dòng trên; không có cột này thì tên trang tính là chủ đề."),
    ("Câu hỏi", "Bắt buộc", "Nội dung câu hỏi."),
    ("Phương án A … F", "Bắt buộc A và B", "Các phương án trả lời, ít nhất hai, nhiều nhất sáu, không trùng nhau, "
     "không để trống xen giữa."),
    ("Đáp án", "Bắt buộc", "Chữ cái của phương án đúng: B; nhiều đáp án: A, C (chữ thường cũng được)."),
    ("Loại câu", "Không bắt buộc", "một đáp án / nhiều đáp án / đúng sai. Bỏ trống: một chữ cái là một đáp án, "
     "nhiều chữ cái là nhiều đáp án. Câu đúng sai: A = Đúng, B = Sai."),
    ("Độ khó", "Không bắt buộc", "dễ / trung bình / khó (mặc định: trung bình)."),
    ("Điểm", "Không bắt buộc", "Số điểm của câu (mặc định 1)."),
    ("Trọng số", "Không bắt buộc", "Chỉ cho câu nhiều đáp án chấm từng phần: phần trăm của mỗi phương án, cách "
     "nhau bằng dấu chấm phẩy, ví dụ 50; 50; -100; 0. Bỏ trống: phải chọn đúng tất cả mới được điểm."),
    ("Giải thích", "Không bắt buộc", "Giải thích đáp án, hiện cho thí sinh khi xem lại bài (nếu cuộc thi cho phép)."),
    ("Nguồn", "Nên có", "Văn bản là căn cứ của câu hỏi, ví dụ Nghị quyết số 76/NQ-CP ngày 15/7/2021."),
]
NOTES = [
    "Mỗi dòng là một câu hỏi; dòng 1 là dòng tiêu đề: giữ nguyên tên các cột.",
    "Có thể chia câu hỏi ra nhiều trang tính; trang “Hướng dẫn” này không được đọc.",
    "Tệp có bất kỳ lỗi nào sẽ không được nhập câu nào; trang kiểm tra chỉ rõ lỗi ở dòng nào để sửa.",
    "Câu hỏi có trong lần nhập trước nhưng không còn trong tệp sẽ chuyển sang “ngừng sử dụng” (không bị xóa); "
    "bài thi đã làm không bị ảnh hưởng.",
    "Có thể lưu thành CSV (chọn “CSV UTF-8”), dấu phân cách là dấu phẩy hoặc dấu chấm phẩy.",
]
# Word files are read too: how to write one, for organisers who keep their questions in Word.
WORD_NOTES = [
    "Đánh số câu “Câu 1:” (hoặc “1.”); phương án “A.” đến “H.”, có thể hai hoặc bốn phương án trên một dòng "
    "cách nhau bằng phím Tab; nội dung câu hỏi có thể dài nhiều đoạn.",
    "Đáp án: in đậm, gạch chân hoặc tô màu phương án đúng; hoặc dòng “Đáp án: B” dưới câu; hoặc bảng đáp án ở "
    "cuối tệp.",
    "Bảng đáp án cuối tệp: sau chữ “HẾT” hoặc dòng “Bảng đáp án”, một bảng có hàng số câu (1, 2, 3…) và hàng "
    "đáp án (B, A, C…) bên dưới, hoặc cột số câu và cột đáp án; hoặc các dòng “Đáp án: 1-B, 2-A, 3-C” (cũng nhận "
    "1.B 2.A, 1B 2A, 1: B). Câu nhiều đáp án: 5-AC. Đáp án ở bảng phải khớp với phương án được đánh dấu (nếu có).",
    "“Phần I. Tên chủ đề” (hoặc “PHẦN 1:”, “II.”) đặt chủ đề cho các câu bên dưới; chữ “HẾT” kết thúc phần câu "
    "hỏi; mục “Lời giải” hoặc “Hướng dẫn giải” với đoạn “Câu 1: …” là phần giải thích của câu 1.",
    "Câu có hình ảnh chưa được hỗ trợ: hệ thống báo lỗi ở đúng câu đó.",
]


def number_text(value: float) -> str:
    """A number as written back: 50 rather than 50.0, and every digit a float needs to read back equal."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def template_row(position: int, question: ParsedQuestion) -> dict[str, object]:
    """One question as the cells of the organiser template, by field."""
    row: dict[str, object] = {
        "number": position, "code": question.stable_code, "topic": question.topic, "text": question.text,
        "answer": ", ".join(OPTION_LETTERS[i] for i in question.correct),
        "kind": KIND_LABELS[question.kind], "difficulty": DIFFICULTY_LABELS[question.difficulty],
        "points": question.points,
        "weights": "; ".join(number_text(w) for w in question.weights) if question.weights else "",
        "explanation": question.explanation or "", "source": question.source or "",
    }
    for index, option in enumerate(question.options):
        row[f"option_{OPTION_LETTERS[index]}"] = option
    return row


def write_bank_xlsx(questions: Iterable[ParsedQuestion], out: str | IO[bytes]) -> None:
    """The organiser template filled with ``questions`` (none: the empty template), with its instructions."""
    workbook = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "in_memory": True})
    try:
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7",
                                      "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        plain = workbook.add_format({"valign": "top"})
        sheet = workbook.add_worksheet(QUESTION_SHEET)
        widths = {"number": 5, "code": 12, "topic": 22, "text": 50, "answer": 9, "kind": 14, "difficulty": 11,
                  "points": 7, "weights": 14, "explanation": 36, "source": 36}
        for col, (key, title) in enumerate(TEMPLATE_HEADERS):
            sheet.set_column(col, col, widths.get(key, 24), wrap if key in ("text", "explanation") else plain)
            sheet.write_string(0, col, title, header)
        sheet.freeze_panes(1, 0)
        keys = [key for key, _ in TEMPLATE_HEADERS]
        count = 0
        for count, question in enumerate(questions, start=1):
            row = template_row(count, question)
            for col, key in enumerate(keys):
                value = row.get(key, "")
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(count, col, value)
                elif value != "":
                    sheet.write_string(count, col, str(value))
        last = max(count, _TEMPLATE_ROWS)
        for key, labels in (("kind", KIND_LABELS), ("difficulty", DIFFICULTY_LABELS)):
            col = keys.index(key)
            sheet.data_validation(1, col, last, col, {"validate": "list", "source": list(labels.values()),
                                                      "error_type": "warning", "error_title": "Giá trị lạ",
                                                      "error_message": "Chọn một giá trị trong danh sách."})
        _write_instructions(workbook, header, wrap)
    finally:
        workbook.close()


def _write_instructions(workbook, header, wrap) -> None:
    sheet = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    title = workbook.add_format({"bold": True, "font_size": 14})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 90, wrap)
    sheet.write_string(0, 0, "Hướng dẫn điền mẫu ngân hàng câu hỏi", title)
    for col, text in enumerate(("Cột", "Bắt buộc?", "Cách ghi")):
        sheet.write_string(2, col, text, header)
    for row, (column, required, how) in enumerate(INSTRUCTIONS, start=3):
        sheet.write_string(row, 0, column)
        sheet.write_string(row, 1, required)
        sheet.write_string(row, 2, how)
    row = 3 + len(INSTRUCTIONS) + 1
    sheet.write_string(row, 0, "Lưu ý", header)
    for offset, note in enumerate(NOTES, start=1):
        sheet.write_string(row + offset, 0, "•")
        sheet.write_string(row + offset, 2, note)
    example = row + len(NOTES) + 2
    sheet.write_string(example, 0, "Ví dụ một dòng", header)
    sample = [("Mã câu", "NQ76-002"), ("Chủ đề", "Chỉ đạo, điều hành CCHC"),
              ("Câu hỏi", "Chương trình tổng thể CCHC ban hành kèm Nghị quyết số 76/NQ-CP áp dụng cho giai đoạn nào?"),
              ("Phương án A", "2011-2020"), ("Phương án B", "2021-2025"), ("Phương án C", "2021-2030"),
              ("Đáp án", "C"), ("Loại câu", "một đáp án"), ("Độ khó", "dễ"),
              ("Nguồn", "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ")]
    for offset, (column, value) in enumerate(sample, start=1):
        sheet.write_string(example + offset, 0, column)
        sheet.write_string(example + offset, 2, value)
    word = example + len(sample) + 2
    sheet.write_string(word, 0, "Tệp Word (.docx)", header)
    sheet.write_string(word, 2, "Cũng nhận tệp Word có bảng đáp án ở cuối, soạn như sau:")
    for offset, note in enumerate(WORD_NOTES, start=1):
        sheet.write_string(word + offset, 0, "•")
        sheet.write_string(word + offset, 2, note)


def gift_escape(text: str) -> str:
    """Text with GIFT's special characters escaped."""
    text = text.replace("\\", "\\\\")
    for char in _GIFT_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def bank_gift(questions: Iterable[ParsedQuestion], title: str | None = None) -> str:
    """The questions as a GIFT file for Moodle, one ``$CATEGORY`` per topic."""
    lines: list[str] = []
    if title:
        lines += [f"// {title}", ""]
    topic = None
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            lines += [f"$CATEGORY: $course$/top/{topic.replace('/', '//')}", ""]
        code = question.stable_code.replace("]", "\\]")  # Moodle reads \] in an id as "]"
        lines.append(f"// [id:{code}] [tag:{question.difficulty}]")
        if question.source:
            lines.append(f"// Nguồn: {question.source}")
        if question.points != 1:
            lines.append(f"// Điểm: {number_text(question.points)}")
        standard_true_false = question.kind == "true_false" and list(question.options) == TRUE_FALSE_OPTIONS
        if question.kind == "true_false" and not standard_true_false:
            lines.append("// Loại: đúng sai")
        if question.kind == "multiple" and not question.weights:
            lines.append("// Chấm: tất cả hoặc không")
        lines.append(f"::{gift_escape(question.stable_code)}::{gift_escape(question.text)} {{")
        if standard_true_false:
            lines.append("TRUE" if question.correct == (0,) else "FALSE")
        elif question.kind == "multiple":
            weights = question.weights or _all_or_nothing_weights(question)
            lines += [f"~%{number_text(w)}%{gift_escape(o)}" for w, o in zip(weights, question.options, strict=True)]
        else:
            lines += [("=" if i in question.correct else "~" + _gift_zero_weight(o)) + gift_escape(o)
                      for i, o in enumerate(question.options)]
        if question.explanation:
            lines.append(f"####{gift_escape(question.explanation)}")
        lines += ["}", ""]
    return "\n".join(lines)


def _gift_zero_weight(option: str) -> str:
    """``%0%`` before a wrong option whose text starts like a weight (``%50% dân số``), which a reader would
    otherwise take for one; Moodle reads it the same way."""
    return "%0%" if _GIFT_WEIGHT_LIKE.match(option) else ""


def _all_or_nothing_weights(question: ParsedQuestion) -> list[float]:
    """Moodle has no all-or-nothing multiple answer: split the marks over the right options, -100 % for a wrong
    one (the comment line tells our importer to score it all or nothing)."""
    share = 100.0 / len(question.correct)
    return [share if i in question.correct else -100.0 for i in range(len(question.options))]


def bank_aiken(questions: Iterable[ParsedQuestion]) -> tuple[str, list[str]]:
    """The single-choice questions as Aiken, and what could not be written (Aiken has far less to say)."""
    lines: list[str] = []
    skipped = 0
    true_false = 0
    for question in questions:
        if question.kind == "multiple":
            skipped += 1
            continue
        true_false += question.kind == "true_false"
        lines.append(question.text)
        lines += [f"{OPTION_LETTERS[i]}. {option}" for i, option in enumerate(question.options)]
        lines += [f"ANSWER: {OPTION_LETTERS[question.correct[0]]}", ""]
    notes = ["Aiken không ghi được chủ đề, mã câu, độ khó, điểm, giải thích và nguồn: nhập lại tệp này, mọi câu "
             "lấy chung một chủ đề và được nhận theo nội dung."]
    if skipped:
        notes.append(f"{skipped} câu nhiều đáp án không ghi được bằng Aiken (chỉ có câu một đáp án) và đã bị bỏ "
                     "ra; dùng GIFT hoặc Excel để giữ đủ.")
    if true_false:
        notes.append(f"{true_false} câu đúng/sai được ghi như câu một đáp án có hai phương án.")
    return "\n".join(lines), notes


def bank_yaml(questions: Sequence[ParsedQuestion], *, name: str, title: str | None = None,
              description: str | None = None) -> str:
    """The questions in the native YAML format."""
    document: dict[str, object] = {"bank": name}
    if title:
        document["title"] = title
    if description:
        document["description"] = description
    items = []
    for question in questions:
        item: dict[str, object] = {"id": question.stable_code, "topic": question.topic, "kind": question.kind,
                                   "difficulty": question.difficulty, "text": question.text,
                                   "options": list(question.options),
                                   "answer": ", ".join(OPTION_LETTERS[i] for i in question.correct)}
        if question.weights:
            item["weights"] = list(question.weights)
        if question.points != 1:
            item["points"] = question.points
        if question.explanation:
            item["explanation"] = question.explanation
        if question.source:
            item["source"] = question.source
        items.append(item)
    document["questions"] = items
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)
