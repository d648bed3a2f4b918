"""How a bank covers the themes of the 2026 ward plans, its topics and its difficulties.

Pure: no Flask, no database. A question names its themes in the native format (``themes: [chi-so]``); the
codes and what each covers are the mapping below, drawn from the two plans in ``seeds/`` (Tây Mỗ, Phù Vân)
and issue 17. ``flask bank coverage FILE`` prints the table and whether the default bank's targets are met.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from contest.banks.parsing import ParsedQuestion

# The themes the plans ask residents and officials to learn; each needs at least MIN_PER_THEME questions.
PLAN_THEMES: dict[str, str] = {
    "qd282": "QĐ 282/QĐ-TTg: Kế hoạch CCHC nhà nước trọng tâm giai đoạn 2026–2030",
    "ke-hoach-2026": "Kế hoạch CCHC của địa phương, chỉ tiêu năm 2026, “lấy người dân, doanh nghiệp làm trung tâm”",
    "nguoi-dung-dau": "Vai trò người đứng đầu, cấp ủy đảng trong CCHC",
    "phan-cap": "Phân cấp, phân quyền, ủy quyền cho cấp xã; chính quyền địa phương hai cấp; tinh giản biên chế",
    "tthc-phi-dia-gioi": "TTHC không phụ thuộc địa giới hành chính; cắt giảm TTHC theo NQ 66/NQ-CP",
    "dvc-truc-tuyen": "Dịch vụ công trực tuyến, QĐ 1588/QĐ-TTg, thanh toán trực tuyến, số hóa hồ sơ",
    "chi-so": "Các chỉ số PAR INDEX, SIPAS, PCI, PAPI, DTI",
    "du-lieu-ca-nhan": "Bảo vệ dữ liệu cá nhân (Luật Bảo vệ dữ liệu cá nhân 2025)",
    "nen-tang-so": "Dữ liệu, nền tảng số dùng chung, AI, công cụ số (iHanoi), định danh điện tử, Đề án 06",
    "dao-duc-cong-vu": "Đạo đức công vụ, văn hóa công sở, kỷ luật, kỷ cương (NQ 80-NQ/TW)",
    "mo-hinh": "Mô hình, sáng kiến, điển hình tốt trong CCHC",
}
# Other themes of the bank (no minimum).
OTHER_THEMES: dict[str, str] = {
    "chuong-trinh-tong-the": "Chương trình tổng thể CCHC 2021–2030 (NQ 76/NQ-CP, CT 23/CT-TTg)",
    "mot-cua": "Một cửa, một cửa liên thông (NĐ 118/2025/NĐ-CP)",
    "the-che": "Xây dựng, hoàn thiện thể chế; văn bản quy phạm pháp luật; phản ánh, kiến nghị",
    "cong-vu": "Cán bộ, công chức, viên chức (Luật Cán bộ, công chức 2025)",
    "tai-chinh-cong": "Tài chính công, tự chủ, ngân sách",
    "phong-chong-tham-nhung": "Phòng, chống tham nhũng, tiêu cực",
}
# Civics and history the plans do not ask for: together at most GENERAL_MAX_SHARE of the bank.
GENERAL_THEMES: dict[str, str] = {
    "hien-phap": "Kiến thức chung về Hiến pháp",
    "lich-su": "Lịch sử CCHC (văn bản đã hết hiệu lực)",
}
THEMES = {**PLAN_THEMES, **OTHER_THEMES, **GENERAL_THEMES}
DIFFICULTY_LABELS = {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}

MIN_QUESTIONS = 240
MIN_PER_THEME = 5
MIN_PER_TOPIC = 25
GENERAL_MAX_SHARE = 0.10


@dataclass(frozen=True)
class Coverage:
    """Counts of one bank: per theme, per topic and difficulty."""

    total: int
    themes: Counter
    topics: dict[str, Counter]
    untagged: list[str]
    unknown: dict[str, list[str]]

    @property
    def general(self) -> int:
        """Questions whose every theme is general civics or history."""
        return self.themes.get("_general_only", 0)

    def shortfalls(self) -> list[str]:
        """The default bank's targets not met, in Vietnamese (empty when all are met)."""
        found = []
        if self.total < MIN_QUESTIONS:
            found.append(f"có {self.total} câu, cần ít nhất {MIN_QUESTIONS}")
        for code, label in PLAN_THEMES.items():
            if self.themes.get(code, 0) < MIN_PER_THEME:
                found.append(f"chủ điểm “{label}” có {self.themes.get(code, 0)} câu, cần ít nhất {MIN_PER_THEME}")
        if self.total and self.general / self.total > GENERAL_MAX_SHARE:
            found.append(f"kiến thức chung và lịch sử chiếm {self.general / self.total:.0%}, tối đa "
                         f"{GENERAL_MAX_SHARE:.0%}")
        for topic, counts in self.topics.items():
            if sum(counts.values()) < MIN_PER_TOPIC:
                found.append(f"chủ đề “{topic}” có {sum(counts.values())} câu, cần ít nhất {MIN_PER_TOPIC}")
            missing = [DIFFICULTY_LABELS[d].lower() for d in DIFFICULTY_LABELS if not counts.get(d)]
            if missing:
                found.append(f"chủ đề “{topic}” chưa có câu {', '.join(missing)}")
        if self.untagged:
            found.append(f"{len(self.untagged)} câu chưa gắn chủ điểm: {', '.join(self.untagged[:10])}")
        for theme, codes in self.unknown.items():
            found.append(f"chủ điểm “{theme}” không có trong danh mục (câu {', '.join(codes[:10])})")
        return found


def bank_coverage(questions: Sequence[ParsedQuestion]) -> Coverage:
    """Count questions per theme, per topic and per difficulty."""
    themes: Counter = Counter()
    topics: dict[str, Counter] = {}
    untagged: list[str] = []
    unknown: dict[str, list[str]] = {}
    for question in questions:
        topics.setdefault(question.topic, Counter())[question.difficulty] += 1
        if not question.themes:
            untagged.append(question.stable_code)
        for theme in question.themes:
            themes[theme] += 1
            if theme not in THEMES:
                unknown.setdefault(theme, []).append(question.stable_code)
        if question.themes and all(t in GENERAL_THEMES for t in question.themes):
            themes["_general_only"] += 1
    return Coverage(total=len(questions), themes=themes, topics=topics, untagged=untagged, unknown=unknown)


def coverage_lines(coverage: Coverage) -> list[str]:
    """The coverage as a plain-text table, in Vietnamese."""
    lines = [f"Tổng số câu: {coverage.total}", "", "Theo chủ điểm của kế hoạch:"]
    for group, mapping in (("", PLAN_THEMES), ("Chủ điểm khác:", OTHER_THEMES),
                           ("Kiến thức chung, lịch sử:", GENERAL_THEMES)):
        if group:
            lines += ["", group]
        for code, label in mapping.items():
            lines.append(f"  {coverage.themes.get(code, 0):>4}  {code:<22} {label}")
    if coverage.total:
        lines.append(f"  Chỉ thuộc kiến thức chung, lịch sử: {coverage.general} câu "
                     f"({coverage.general / coverage.total:.1%})")
    lines += ["", f"Theo chủ đề và độ khó:   {'Dễ':>4} {'TB':>4} {'Khó':>4} {'Cộng':>5}"]
    for topic, counts in sorted(coverage.topics.items()):
        row = " ".join(f"{counts.get(d, 0):>4}" for d in DIFFICULTY_LABELS)
        lines.append(f"  {topic}\n  {'':<22} {row} {sum(counts.values()):>5}")
    totals = Counter()
    for counts in coverage.topics.values():
        totals.update(counts)
    lines.append(f"  {'Cộng':<22} " + " ".join(f"{totals.get(d, 0):>4}" for d in DIFFICULTY_LABELS)
                 + f" {sum(totals.values()):>5}")
    return lines
