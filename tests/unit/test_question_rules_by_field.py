"""build_question names the field each problem is about (the browser editor puts it there) while the text stays
the one every file format reports."""

import pytest

from contest.banks.parsing import FieldProblem, build_question

VALID = {"code": "C-1", "topic": "Chung", "kind": "single", "text": "Câu hỏi?", "options": ["Một", "Hai"],
         "answer": "A"}


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "x" * 81}, "code"), ({"topic": ""}, "topic"), ({"topic": "t" * 201}, "topic"),
    ({"text": ""}, "text"), ({"kind": "tự luận"}, "kind"), ({"options": ["Một"]}, "options"),
    ({"answer": "C"}, "answer"), ({"weights": [50]}, "weights"), ({"points": "0"}, "points"),
    ({"difficulty": "siêu khó"}, "difficulty"),
])
def test_each_problem_names_its_field(change, field):
    question, problems = build_question(**{**VALID, **change})
    assert question is None and [p.field for p in problems] == [field]


def test_a_field_problem_is_the_plain_message_text():
    _, [problem] = build_question(**{**VALID, "text": " "})
    assert isinstance(problem, FieldProblem) and problem == "nội dung câu hỏi trống."
    assert f"Dòng 3: {problem}" == "Dòng 3: nội dung câu hỏi trống."


def test_topic_longer_than_the_column_is_refused():
    _, problems = build_question(**{**VALID, "topic": "t" * 201})
    assert problems == ["tên chủ đề dài quá 200 ký tự."]
