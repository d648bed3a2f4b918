"""Property tests: generated banks survive export → import unchanged, and no input makes a parser raise."""

import io
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contest.banks.exporting import bank_gift, bank_yaml, write_bank_xlsx
from contest.banks.formats import parse_bank_file
from contest.banks.parsing import build_question
from contest.vntext import clean

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Letters a ward's bank uses, and every character GIFT or YAML treats specially.
ALPHABET = (string.ascii_letters + string.digits + " .,;?!()'\"/-_>*&<|~=#{}:\\" +
            "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÂĂÊÔƠƯ")
TOPICS = ["Cải cách thể chế", "Cải cách TTHC (một cửa, dịch vụ công trực tuyến)", "Tài chính công", "Chuyển đổi số"]
words = st.text(ALPHABET, min_size=1, max_size=30).map(clean).filter(bool)
codes = st.one_of(st.none(), st.from_regex(r"[A-Z]{1,4}-[0-9]{1,4}", fullmatch=True))


def plain_topic(topic: str) -> bool:
    """GIFT category paths cannot hold a topic that starts or ends with "/" or is a $context$."""
    return "$" not in topic and not topic.startswith("/") and not topic.endswith("/")


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["single", "multiple", "true_false"]))
    if kind == "true_false":
        options = draw(st.one_of(st.just(["Đúng", "Sai"]), st.lists(words, min_size=2, max_size=2)))
    else:
        options = draw(st.lists(words, min_size=2, max_size=6))
    count = len(options)
    weights = None
    if kind == "multiple":
        correct = sorted(draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=count)))
        if len(correct) < 2 or draw(st.booleans()):
            weights = [draw(st.floats(0.5, 100)) if i in correct else draw(st.floats(-100, 0)) for i in range(count)]
    else:
        correct = [draw(st.integers(0, count - 1))]
    question, problems = build_question(
        code=draw(codes), topic=draw(st.one_of(st.sampled_from(TOPICS), words.filter(plain_topic))),
        kind=kind, text=draw(words), options=options, answer=", ".join("ABCDEF"[i] for i in correct),
        weights=weights, points=draw(st.sampled_from([None, 2, 0.5, 1.25])),
        explanation=draw(st.one_of(st.none(), words)), difficulty=draw(st.sampled_from(["dễ", "trung bình", "khó"])),
        source=draw(st.one_of(st.none(), words)))
    assume(question is not None)
    return question


banks = st.lists(questions(), min_size=1, max_size=8, unique_by=lambda q: q.stable_code)


def fingerprint(items):
    return [(q.as_dict(), q.points, q.explanation) for q in items]


def reread(data: bytes, name: str):
    bank = parse_bank_file(data, name)
    assert bank.ok, [str(e) for e in bank.errors]
    return fingerprint(bank.questions)


@FAST
@given(banks)
def test_generated_bank_survives_excel_export_and_import(items):
    buffer = io.BytesIO()
    write_bank_xlsx(items, buffer)
    assert reread(buffer.getvalue(), "bank.xlsx") == fingerprint(items)


@FAST
@given(banks)
def test_generated_bank_survives_gift_export_and_import(items):
    assert reread(bank_gift(items).encode(), "bank.gift") == fingerprint(items)


@FAST
@given(banks)
def test_generated_bank_survives_yaml_export_and_import(items):
    assert reread(bank_yaml(items, name="sinh-ngau-nhien").encode(), "bank.yaml") == fingerprint(items)


ENDINGS = [".xlsx", ".csv", ".txt", ".gift", ".docx", ".yaml", ".json"]


def assert_reports(data: bytes, ending: str) -> None:
    bank = parse_bank_file(data, "bank" + ending)
    assert bank.ok or bank.errors
    for problem in bank.errors + bank.warnings:
        assert isinstance(str(problem), str)
    bank.as_dict()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(ENDINGS))
def test_no_bytes_make_a_parser_raise(data, ending):
    assert_reports(data, ending)


GIFTISH = st.text(alphabet="{}~=#:\\%$/ \n\t-> TFRUEAab01.[]|/", max_size=200)
AIKENISH = st.text(alphabet="ABCDabcd.): \n\r\tANSWERĐáp án1x", max_size=200)
TABLEISH = st.text(alphabet='Câu hỏiABĐáp án,;"\n\r 1xđúng sai', max_size=200)
YAMLISH = st.text(alphabet="questions:-[]{}, \n'\"topictextoptionsanswerweightspoints.nan1AB", max_size=200)


@settings(max_examples=100, deadline=None)
@given(st.one_of(GIFTISH.map(lambda t: (t, ".gift")), AIKENISH.map(lambda t: (t, ".txt")),
                 TABLEISH.map(lambda t: (t, ".csv")), YAMLISH.map(lambda t: (t, ".yaml"))))
def test_no_text_makes_a_parser_raise(case):
    text, ending = case
    assert_reports(text.encode(), ending)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=12), st.integers(-5, 10),
                                   st.floats(allow_nan=False, allow_infinity=False)), max_size=8), max_size=8))
def test_no_workbook_makes_the_excel_parser_raise(rows):
    buffer = io.BytesIO()
    import xlsxwriter

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet()
    for r, row in enumerate([["Câu hỏi", "A", "B", "Đáp án", "Trọng số", "Điểm"], *rows]):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
    book.close()
    assert_reports(buffer.getvalue(), ".xlsx")
