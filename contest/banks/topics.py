"""Topic names that nearly match (pure: no Flask, no database).

Blueprints draw per topic, so two names for one CCHC area ("Chế độ công vụ" beside "Cải cách chế độ công vụ")
split its questions in two rows of the blueprint editor. An import therefore warns about a new topic name
that nearly matches one already there. The rule, on names folded to lower case without diacritics (đ as d),
punctuation dropped, split into words:

1. the same words: the names differ only in accents, case, spacing or punctuation ("variant");
2. the words of the shorter name, at least two of them, appear in the same order, side by side, inside the
   longer one ("Chế độ công vụ" in "Cải cách chế độ công vụ"; "contained");
3. the folded names are at least 85 % alike by difflib's ratio, which catches typos ("hành chánh" for
   "hành chính"); the CCHC areas of the default bank are at most 70 % alike, so they never warn ("similar").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from contest.vntext import clean, fold

SIMILAR_RATIO = 0.85
_WORDS = re.compile(r"[a-z0-9]+")


def topic_words(name: str) -> tuple[str, ...]:
    """The words of a topic name, folded (lower case, no diacritics, đ as d), punctuation dropped."""
    return tuple(_WORDS.findall(fold(name)))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def topic_likeness(a: str, b: str) -> str | None:
    """How two different topic names nearly match — "variant", "contained" or "similar" (see the module's
    rule) — or None when they are the same name or unrelated."""
    if clean(a) == clean(b):
        return None
    words_a, words_b = topic_words(a), topic_words(b)
    if not words_a or not words_b:
        return None
    if words_a == words_b:
        return "variant"
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) >= 2 and _contains(longer, shorter):
        return "contained"
    if SequenceMatcher(None, " ".join(words_a), " ".join(words_b)).ratio() >= SIMILAR_RATIO:
        return "similar"
    return None


def near_topic_warnings(new: Iterable[str], existing: Iterable[str]) -> list[str]:
    """A warning (Vietnamese) for each name of ``new`` not already in ``existing`` that nearly matches an
    existing name or another new one. Names equal once folded are filed under the existing topic by the
    import; the others become a topic of their own."""
    known = sorted({clean(name) for name in existing})
    known_set = set(known)
    fresh = sorted({clean(name) for name in new} - known_set)
    warnings: list[str] = []
    for i, name in enumerate(fresh):
        for other in known + fresh[i + 1:]:
            likeness = topic_likeness(name, other)
            if likeness is None:
                continue
            where = "đã có" if other in known_set else "cũng có trong tệp"
            if fold(name) == fold(other):
                warnings.append(f"Chủ đề “{name}” chỉ khác chủ đề {where} “{other}” ở dấu, chữ hoa/thường hoặc "
                                "khoảng trắng nên các câu hỏi được xếp chung vào một chủ đề.")
            elif likeness == "variant":
                warnings.append(f"Chủ đề “{name}” chỉ khác chủ đề {where} “{other}” ở dấu câu nhưng sẽ thành một "
                                "chủ đề riêng. Nếu là cùng một chủ đề, hãy sửa tên trong tệp cho trùng khớp.")
            else:
                warnings.append(f"Chủ đề “{name}” gần giống chủ đề {where} “{other}” và sẽ thành một chủ đề "
                                "riêng. Nếu là cùng một chủ đề, hãy sửa tên trong tệp cho trùng khớp để câu hỏi "
                                "không bị tách làm hai dòng trong cấu trúc đề.")
    return warnings
