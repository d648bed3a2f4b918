"""Item-writing flaws that make keys guessable or questions unfair, found in parsed questions.

Pure: no Flask, no database. :func:`lint_questions` takes the parser's :class:`ParsedQuestion` objects (any
format) and returns findings, each at the question's line or row, or for the bank as a whole.

Per question:
- ``long-key``: the key is notably longer than every distractor (test-wise takers pick the longest option);
- ``absolute-word``: "chỉ", "mọi", "toàn bộ", … in distractors only (takers learn to rule such options out);
- ``all-none``: "tất cả các ý trên", "không có ý nào", "cả A, B, C" — options about other options;
- ``negative-stem``: a stem asking for what is "không"/"sai" without writing it in capitals (KHÔNG, SAI);
- ``leak``: a stem or option that carries a distinctive phrase of another question's key, which gives that key
  away when one draw puts both questions in front of the same taker;
- ``near-duplicate``: two questions whose wording is almost the same;
- ``all-correct``: a multiple-answer question whose every option is correct;
- ``no-source``: no document cited.
Per bank: ``key-position`` (one position holds the key too often), ``longest-key`` (share of single-choice
questions whose key is the longest option), ``true-false`` (share of "Đúng" keys) and ``multiple-pattern``
(one pattern such as "3 of 4" dominates the multiple-answer keys).

Severity. An **error** is an item the importer accepts but that is broken on this platform: options are shuffled
for every attempt, so an option that points at other options by place or letter ("tất cả các ý trên", "cả A và
B") no longer means what its writer meant — the item is unfair to every taker. ``flask bank lint`` exits 1 on an
error and ``make test`` runs it on ``questions/``. Everything else is a **warning**: a hint that lets a
test-wise taker guess, or a bank-wide imbalance; warnings never block an import (the upload preview lists both
kinds as advice).

Every threshold lives in :class:`LintThresholds`, with its default and why.

Why this module is long: one rule per flaw above, each a short function over the same parsed questions and
sharing the same word lists; splitting them would scatter the one list of what the lint checks.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from contest.banks.parsing import ParsedQuestion
from contest.vntext import fold

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class LintThresholds:
    """Every threshold of the lint, in one place. Change a default here and the CLI, the upload preview and
    the tests follow."""

    # long-key: the key is flagged when it is longer than `long_key_ratio` × the longest distractor AND at least
    # `long_key_min_extra` characters longer (so "10 năm" against "5 năm" is not a finding).
    long_key_ratio: float = 1.5
    long_key_min_extra: int = 15
    # absolute-word: words that make a statement sweeping; flagged when they occur in distractors only.
    absolute_words: tuple[str, ...] = ("chỉ", "mọi", "toàn bộ", "hoàn toàn", "tuyệt đối", "luôn luôn",
                                       "không bao giờ")
    # leak: one question's whole key (of at least `leak_min_key_words` words, counted as written: one syllable
    # each; two words are enough when one is a number, as in "6 nội dung"), or a document number or date in it,
    # absent from that question's own stem and distractors, found in another question's stem or options that do
    # not also carry one of its distractors. Phrases found in more than `leak_common_share` of the bank's
    # questions are the bank's common vocabulary, not a hint. (Two plain words match too much by chance:
    # "Nam Định" is inside "Việt Nam định cư".)
    leak_min_key_words: int = 3
    leak_common_share: float = 0.10
    # near-duplicate: Jaccard similarity of the word pairs of stem + options.
    near_duplicate_similarity: float = 0.75
    # Bank-level balance is judged only from this many questions of the kind concerned (fewer say nothing).
    balance_min_questions: int = 8
    # key-position: no option position may hold the key in more than 1/n + this share of the n-option
    # single-choice questions (4 options: at most 40 %).
    key_position_tolerance: float = 0.15
    # longest-key: at most this share of single-choice questions may have the key as their longest option
    # (ties count, unless every option has the same length). Chance is about 25-30 %.
    longest_key_max_share: float = 0.35
    # true-false: the share of "Đúng" keys must lie in this range.
    true_share_min: float = 0.40
    true_share_max: float = 0.60
    # multiple-pattern: no single pattern ("3 of 4") may cover more than this share of multiple-answer keys.
    multiple_pattern_max_share: float = 0.50


DEFAULT_THRESHOLDS = LintThresholds()


@dataclass(frozen=True)
class LintFinding:
    """One flaw: ``where``/``number`` locate the question (None for a bank-wide finding)."""

    severity: str
    rule: str
    message: str
    code: str | None = None
    where: str | None = None
    number: int | None = None

    def __str__(self) -> str:
        label = {"line": "Dòng", "row": "Dòng", "question": "Câu"}.get(self.where or "", "")
        place = f"{label} {self.number}" if label and self.number else ""
        who = f" ({self.code})" if self.code else ""
        return f"{place}{who}: {self.message}" if place else (f"{self.code}: {self.message}" if self.code
                                                               else self.message)


@dataclass
class LintReport:
    """The findings on one set of questions, questions first in file order, then the bank-wide ones."""

    findings: list[LintFinding] = field(default_factory=list)

    @property
    def errors(self) -> list[LintFinding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[LintFinding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def lint_questions(questions: Sequence[ParsedQuestion],
                   thresholds: LintThresholds = DEFAULT_THRESHOLDS) -> LintReport:
    """Check questions for item-writing flaws, each question alone, against each other, and as a bank."""
    per_question: dict[int, list[LintFinding]] = defaultdict(list)
    absolute = [(word, _absolute_pattern(word)) for word in thresholds.absolute_words]
    for index, question in enumerate(questions):
        per_question[index].extend(_question_findings(question, thresholds, absolute))
    for index, finding in _leaks(questions, thresholds):
        per_question[index].append(finding)
    for index, finding in _near_duplicates(questions, thresholds):
        per_question[index].append(finding)
    report = LintReport()
    for index in range(len(questions)):
        report.findings.extend(per_question.get(index, []))
    report.findings.extend(_bank_findings(questions, thresholds))
    return report


# ---------------------------------------------------------------- one question

_ALL_NONE_POSITIONAL = re.compile(
    r"\b(?:tất cả|cả (?:hai|ba|bốn|năm)|các)\s+(?:các\s+)?(?:ý|phương án|đáp án|câu)(?:\s+(?:nêu|kể))?\s+(?:ở\s+)?"
    r"(?:trên|dưới)\b"
    r"|\b(?:ý|phương án|đáp án)\s+(?:nêu\s+)?(?:trên|dưới)\b"
    r"|\bcả\s+[A-F](?:\s*,\s*[A-F])*\s*(?:,|và)\s*[A-F]\b"
    r"|\b(?:phương án|đáp án|ý)\s+[A-F](?:\s*(?:,|và)\s*[A-F])+\b", re.IGNORECASE)
_ALL_NONE_PLAIN = re.compile(
    r"\b(?:tất cả|cả)\s+(?:các\s+)?(?:ý|phương án|đáp án)(?:\s+\w+)?\s+(?:đều\s+)?(?:đúng|sai)\b"
    r"|\btất cả đều (?:đúng|sai)\b"
    r"|\bkhông có\s+(?:ý|phương án|đáp án|câu)\s+nào\b", re.IGNORECASE)

# "chỉ" is also part of common nouns and verbs (chỉ đạo, chỉ số, địa chỉ…): only the adverb "only" counts.
_CHI_NOT_ABSOLUTE = ("đạo", "tiêu", "số", "thị", "định", "dẫn", "huy", "rõ", "ra", "mục", "trích", "điểm", "báo")


def _absolute_pattern(word: str) -> re.Pattern[str]:
    if word == "chỉ":
        return re.compile(r"(?<!địa )\bchỉ\b(?!\s+(?:" + "|".join(_CHI_NOT_ABSOLUTE) + r")\b)", re.IGNORECASE)
    return re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)


_NEGATIVE = re.compile(r"\b(không|sai)\b", re.IGNORECASE)
# "không" only asks for what is NOT so when it governs the question ("nào sau đây không thuộc…"); "sai" only
# when it is the adjective asked for ("nhận định nào sai").
_NEGATIVE_QUESTION = re.compile(
    r"\bkhông\s+(?:phải|thuộc|đúng|nằm|có trong|được|là|bao gồm|gồm|phù hợp|thể hiện|áp dụng|bắt buộc|"
    r"quy định|nêu|phải là)\b|\bsai\b(?!\s+(?:phạm|sót|lệch|trái|quy định))", re.IGNORECASE)
_ASKING = re.compile(r"\b(nào|gì|sau đây)\b", re.IGNORECASE)


def _question_findings(question: ParsedQuestion, t: LintThresholds,
                       absolute: list[tuple[str, re.Pattern[str]]]) -> list[LintFinding]:
    found: list[LintFinding] = []

    def add(severity: str, rule: str, message: str) -> None:
        found.append(LintFinding(severity, rule, message, question.code, question.where, question.number))

    keys = [question.options[i] for i in question.correct]
    distractors = [o for i, o in enumerate(question.options) if i not in question.correct]

    if question.kind == "single" and distractors and keys:
        key_length, longest = len(keys[0]), max(len(d) for d in distractors)
        if key_length > t.long_key_ratio * longest and key_length - longest >= t.long_key_min_extra:
            add(WARNING, "long-key", f"đáp án đúng dài gấp {key_length / longest:.1f} lần phương án nhiễu dài nhất "
                                     "(người làm bài đoán được bằng cách chọn phương án dài nhất).")

    if question.kind != "true_false":
        for word, pattern in absolute:
            if any(pattern.search(d) for d in distractors) and not any(pattern.search(k) for k in keys):
                add(WARNING, "absolute-word", f"từ tuyệt đối “{word}” chỉ có ở phương án sai (người làm bài loại "
                                              "được phương án đó mà không cần biết kiến thức).")

    for option in question.options:
        if _ALL_NONE_POSITIONAL.search(option):
            add(ERROR, "all-none", f"phương án “{option}” nói đến vị trí hoặc chữ cái của phương án khác, nhưng "
                                   "thứ tự phương án được xáo trộn khi làm bài; hãy viết lại thành câu nhiều đáp án.")
        elif _ALL_NONE_PLAIN.search(option):
            add(WARNING, "all-none", f"phương án “{option}” (tất cả / không có phương án nào) dễ đoán; hãy dùng câu "
                                     "nhiều đáp án hoặc phương án có nội dung.")

    if question.kind in ("single", "multiple") and _ASKING.search(question.text):
        for match in _NEGATIVE_QUESTION.finditer(question.text):
            word = _NEGATIVE.match(match.group(0))
            if word and word.group(0) != word.group(0).upper():
                add(WARNING, "negative-stem", f"câu hỏi dạng phủ định (“{word.group(0)}”) cần viết in hoa "
                                              f"“{word.group(0).upper()}” để người làm bài không đọc sót.")
                break

    if question.kind == "multiple" and len(question.correct) == len(question.options):
        add(WARNING, "all-correct", "mọi phương án đều đúng (người làm bài chọn hết là đủ điểm).")

    if not question.source:
        add(WARNING, "no-source", "chưa ghi văn bản nguồn (văn bản, điều, khoản mà đáp án dựa vào).")
    return found


# ---------------------------------------------------------------- questions against each other

_TOKEN = re.compile(r"[a-z0-9]+(?:[/.\-][a-z0-9]+)*")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def _is_reference(word: str) -> bool:
    """A document number or a date ("118/2025/nđ-cp", "15/7/2021"): specific wherever it appears."""
    return "/" in word and any(c.isdigit() for c in word)


def _key_phrases(key: list[str], t: LintThresholds) -> set[tuple[str, ...]]:
    """The phrases of a key specific enough to give it away: the whole key (long enough, or two words with a
    number) and each document number or date in it."""
    long_enough = len(key) >= t.leak_min_key_words or (len(key) >= 2 and any(c.isdigit() for c in "".join(key)))
    phrases = {tuple(key)} if long_enough else set()
    return phrases | {(word,) for word in key if _is_reference(word)}


def _leaks(questions: Sequence[ParsedQuestion], t: LintThresholds) -> Iterable[tuple[int, LintFinding]]:
    texts = [" " + " ".join(_tokens(" | ".join([q.text, *q.options]))) + " " for q in questions]
    stems = [" " + " ".join(_tokens(q.text)) + " " for q in questions]
    distractors = [" " + " | ".join(" ".join(_tokens(o)) for i, o in enumerate(q.options) if i not in q.correct)
                   + " " for q in questions]
    common = max(2, math.floor(t.leak_common_share * len(questions)))
    postings: dict[str, set[int]] = defaultdict(set)  # word -> questions whose stem or options use it
    for index, text in enumerate(texts):
        for word in text.split():
            postings[word].add(index)

    def inside(phrase: tuple[str, ...], text: str) -> bool:
        return " " + " ".join(phrase) + " " in text

    def holding(phrase: tuple[str, ...]) -> list[int]:
        sets = sorted((postings.get(word, set()) for word in set(phrase)), key=len)
        candidates = set(sets[0]).intersection(*sets[1:]) if sets else set()
        return sorted(q for q in candidates if inside(phrase, texts[q]))

    for p, question in enumerate(questions):
        if question.kind == "true_false":
            continue  # "Đúng"/"Sai" carry nothing to leak
        alternatives = set().union(*(_key_phrases(_tokens(o), t) for i, o in enumerate(question.options)
                                     if i not in question.correct))
        reported: set[int] = set()
        for key_index in question.correct:
            for phrase in sorted(_key_phrases(_tokens(question.options[key_index]), t)):
                if inside(phrase, stems[p]) or inside(phrase, distractors[p]):
                    continue
                holders = [q for q in holding(phrase) if q != p]
                if len(holders) > common:
                    continue
                for q in holders:
                    if q in reported or any(inside(a, texts[q]) for a in alternatives):
                        continue  # a question that names the distractors too singles nothing out
                    reported.add(q)
                    other = questions[q]
                    yield q, LintFinding(
                        WARNING, "leak",
                        f"có cụm “{' '.join(phrase)}” trùng với đáp án đúng của câu {_label(question)}; nếu hai câu "
                        "cùng vào một đề, câu này làm lộ đáp án câu kia.",
                        other.code, other.where, other.number)


def _label(question: ParsedQuestion) -> str:
    place = {"line": "ở dòng", "row": "ở dòng", "question": "thứ"}.get(question.where or "", "")
    if question.code:
        return f"{question.code}" + (f" ({place} {question.number})" if place and question.number else "")
    return f"{place} {question.number}".strip() if place else "khác"


def _near_duplicates(questions: Sequence[ParsedQuestion],
                     t: LintThresholds) -> Iterable[tuple[int, LintFinding]]:
    """Pairs with Jaccard similarity ≥ the threshold, found by prefix filtering (exact, and fast for thousands
    of questions: only pairs that share one of their rarest word pairs are compared)."""
    sets = []
    for question in questions:
        tokens = _tokens(" ".join([question.text, *question.options]))
        sets.append(_ngrams(tokens, 2) or {tuple(tokens)})
    frequency: Counter[tuple[str, ...]] = Counter(g for s in sets for g in s)
    threshold = t.near_duplicate_similarity
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    seen: set[int] = set()
    for j, grams in enumerate(sets):
        ordered = sorted(grams, key=lambda g: (frequency[g], g))
        prefix = ordered[:len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        candidates = {i for g in prefix for i in index.get(g, ())}
        low, high = threshold * len(grams), len(grams) / threshold
        for i in sorted(candidates):
            if j in seen:
                break
            other = sets[i]
            if not low <= len(other) <= high:
                continue  # sizes too far apart for the similarity to reach the threshold
            similarity = len(grams & other) / len(grams | other)
            if similarity >= threshold and questions[i].identity_hash != questions[j].identity_hash:
                seen.add(j)
                question = questions[j]
                yield j, LintFinding(WARNING, "near-duplicate",
                                     f"gần trùng với câu {_label(questions[i])} (giống {similarity:.0%} cách diễn "
                                     "đạt); hai câu có thể cùng vào một đề.",
                                     question.code, question.where, question.number)
        if j not in seen:  # one copy of a cluster of repeats is enough to find the next repeat
            for g in prefix:
                index[g].append(j)


# ---------------------------------------------------------------- the bank as a whole

def longest_key(question: ParsedQuestion) -> bool:
    """Whether a single-choice question's key is its longest option (ties count, unless all options have one
    length)."""
    lengths = [len(o) for o in question.options]
    key = lengths[question.correct[0]]
    return key == max(lengths) and min(lengths) != max(lengths)


def is_true_key(question: ParsedQuestion) -> bool:
    """Whether a true/false question's key is "Đúng"."""
    return fold(question.options[question.correct[0]]) in ("dung", "true")


@dataclass(frozen=True)
class BankBalance:
    """The key figures of a bank that the per-bank rules judge (also printed by ``flask bank lint``)."""

    single: int
    longest_keys: int
    true_false: int
    true_keys: int
    positions: dict[int, Counter]  # option count -> Counter of key positions (single choice)
    patterns: Counter  # (correct count, option count) -> questions (multiple answer)

    @property
    def longest_share(self) -> float:
        return self.longest_keys / self.single if self.single else 0.0

    @property
    def true_share(self) -> float:
        return self.true_keys / self.true_false if self.true_false else 0.0


def bank_balance(questions: Sequence[ParsedQuestion]) -> BankBalance:
    """Count what the per-bank rules look at."""
    singles = [q for q in questions if q.kind == "single" and q.correct]
    true_false = [q for q in questions if q.kind == "true_false" and q.correct]
    positions: dict[int, Counter] = defaultdict(Counter)
    for question in singles:
        positions[len(question.options)][question.correct[0]] += 1
    patterns = Counter((len(q.correct), len(q.options)) for q in questions if q.kind == "multiple")
    return BankBalance(single=len(singles), longest_keys=sum(longest_key(q) for q in singles),
                       true_false=len(true_false), true_keys=sum(is_true_key(q) for q in true_false),
                       positions=dict(positions), patterns=patterns)


def _bank_findings(questions: Sequence[ParsedQuestion], t: LintThresholds) -> list[LintFinding]:
    found: list[LintFinding] = []
    balance = bank_balance(questions)
    letters = "ABCDEF"
    for count, positions in sorted(balance.positions.items()):
        total = sum(positions.values())
        if total < t.balance_min_questions:
            continue
        limit = 1 / count + t.key_position_tolerance
        for position, n in sorted(positions.items()):
            if n / total > limit:
                found.append(LintFinding(WARNING, "key-position",
                                         f"Ngân hàng: đáp án đúng là phương án {letters[position]} ở {n}/{total} câu "
                                         f"một đáp án có {count} phương án ({n / total:.0%}, ngưỡng {limit:.0%})."))
    if balance.single >= t.balance_min_questions and balance.longest_share > t.longest_key_max_share:
        found.append(LintFinding(WARNING, "longest-key",
                                 f"Ngân hàng: đáp án đúng là phương án dài nhất ở {balance.longest_keys}/{balance.single}"
                                 f" câu một đáp án ({balance.longest_share:.0%}, ngưỡng "
                                 f"{t.longest_key_max_share:.0%})."))
    if balance.true_false >= t.balance_min_questions and not (
            t.true_share_min <= balance.true_share <= t.true_share_max):
        found.append(LintFinding(WARNING, "true-false",
                                 f"Ngân hàng: đáp án “Đúng” ở {balance.true_keys}/{balance.true_false} câu đúng/sai "
                                 f"({balance.true_share:.0%}; nên trong khoảng {t.true_share_min:.0%}–"
                                 f"{t.true_share_max:.0%})."))
    multiple = sum(balance.patterns.values())
    if multiple >= t.balance_min_questions // 2 and balance.patterns:
        (correct, options), n = balance.patterns.most_common(1)[0]
        if n / multiple > t.multiple_pattern_max_share:
            found.append(LintFinding(WARNING, "multiple-pattern",
                                     f"Ngân hàng: {n}/{multiple} câu nhiều đáp án có cùng kiểu đáp án “{correct} trong "
                                     f"{options} phương án” ({n / multiple:.0%}, ngưỡng "
                                     f"{t.multiple_pattern_max_share:.0%}); người làm bài đoán được theo kiểu này."))
    return found
