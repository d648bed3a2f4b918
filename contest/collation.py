"""Vietnamese alphabetical order for every list people read (pure: no Flask, no database).

Python compares strings by code point: "Tổ dân phố số 10" comes before "số 2", "Trung tâm" before "Trạm", "Văn
phòng" before "Ủy ban" and "Vũ" before "Đỗ". ``sort_key`` orders text as a Vietnamese reader does (the rules of
the Vietnamese dictionaries, which CLDR's Vietnamese collation also follows), without a C library:

1. **Letters** compare by the Vietnamese alphabet, a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
   (f, j, w, z, which only foreign words use, sit where Latin puts them). ă, â, ê, ô, ơ, ư and đ are letters
   of their own, not accented variants: "Tổ" < "Trạm" < "Trung" < "Trường".
2. **Numbers** compare by value: a run of digits is one element, so "số 2" < "số 10" (and "số 02" just
   after "số 2"). Numbers sort before letters.
3. **Spaces and punctuation** separate words and sort before any letter or number, so "Chỉ đạo" < "Chính";
   a run of them counts as one separator, so "Kinh tế – Hạ tầng" and "Kinh tế - Hạ tầng" are equal at this level.
4. Only when all of that is equal do **tone marks** decide, letter by letter: no mark < huyền (à) < hỏi (ả) <
   ngã (ã) < sắc (á) < nặng (ạ). Then **case** (lower before upper), then the text itself, so that the
   order is total and the same on every machine.

Text is compared after Unicode NFD decomposition, so NFC and NFD input sort alike.
"""

from __future__ import annotations

import re
import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Combining marks that make a letter of its own: a+breve = ă, a/e/o+circumflex = â/ê/ô, o/u+horn = ơ/ư.
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
                 ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# The five tones in dictionary order (the level tone, no mark, is 0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SEPARATOR = (0,)
# A word is letters with their combining marks; digits (ASCII or not) form numbers; anything else separates.
_TOKEN = re.compile(r"[0-9]+|(?:[^\W\d_][\u0300-\u036f]*)+|.", re.DOTALL)


def _letters(word: str) -> list[tuple[str, int, bool]]:
    """Split NFD text into (base letter, tone, is upper case) with the letter-making marks folded in."""
    out: list[tuple[str, int, bool]] = []
    for ch in word:
        if unicodedata.combining(ch):
            if not out:
                continue
            base, tone, upper = out[-1]
            if (base, ch) in _LETTER_MARKS:
                out[-1] = (_LETTER_MARKS[(base, ch)], tone, upper)
            elif ch in _TONES:
                out[-1] = (base, _TONES[ch], upper)
            continue
        lower = ch.lower()
        out.append((lower, 0, ch != lower))
    return out


def sort_key(text: object) -> tuple:
    """A key that sorts text in Vietnamese alphabetical order with numbers by value (see the module docstring)."""
    value = "" if text is None else str(text)
    primary: list[tuple] = []
    tones: list[int] = []
    cases: list[bool] = []
    for token in _TOKEN.findall(unicodedata.normalize("NFD", value.strip())):
        if token[0].isdigit():
            primary.append((1, int(token), len(token)))
        elif token[0].isalpha():
            for base, tone, upper in _letters(token):
                rank = _LETTER_RANK.get(base)
                primary.append((2, rank) if rank is not None else (3, ord(base)))
                tones.append(tone)
                cases.append(upper)
        elif primary and primary[-1] != _SEPARATOR:
            primary.append(_SEPARATOR)
    # A trailing separator ("Tổ 1 " or "Tổ 1.") must not sort a name after its longer neighbours.
    if primary and primary[-1] == _SEPARATOR:
        primary.pop()
    return tuple(primary), tuple(tones), tuple(cases), unicodedata.normalize("NFC", value)


def name_sort_key(full_name: object) -> tuple:
    """Order people as Vietnamese lists do: by given name (the last word), then by the whole name."""
    value = "" if full_name is None else str(full_name).strip()
    given = value.rsplit(None, 1)[-1] if value else ""
    return sort_key(given), sort_key(value)
