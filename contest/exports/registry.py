"""The kinds of export: one entry each, with its Vietnamese title, the parameters it needs, whether it holds
personal columns, who may run it, and the function that builds its tables.

To add a kind, add ONE ``ExportKind`` line to ``KINDS`` below. Its builder is the name of a function of
:mod:`contest.exports.builders` (this module is pure and imports no domain, not even at run time: the export
service looks the name up) and is called as ``builder(params)`` with an :class:`ExportParams`; it returns a list
of :class:`contest.exports.tables.Table` whose rows may be generators.
A builder must keep only rows of ``params.unit_ids`` when that is not None (a unit manager's units), and mark
phone / birth date / CCCD columns ``personal=True``: the export service drops them for anyone but organisers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PARAMETERS = {"round": "Đợt thi", "period": "Kỳ báo cáo (từ ngày – đến ngày)"}


@dataclass
class ExportParams:
    """What an export is about. ``round`` is a Round; ``period`` a contest.reports.periods.Period."""

    round: Any = None
    period: Any = None
    unit_ids: set[int] | None = None  # None: every unit (organisers, the CLI)
    personal: bool = True  # False when personal columns will be dropped (builders may skip loading them)
    filters: dict[str, str] = field(default_factory=dict)  # kind-specific, e.g. the audit log's filters


@dataclass(frozen=True)
class ExportKind:
    """One kind of export."""

    code: str  # used on the command line: flask export CODE
    title: str
    builder: str  # a function of contest.exports.builders, called with ExportParams, returning list[Table]
    needs: tuple[str, ...] = ()  # parameters that must be given ("round", "period")
    accepts: tuple[str, ...] = ()  # parameters that may be given
    personal: bool = False  # has personal-data columns (organiser exports only keep them)
    staff: bool = True  # unit managers may run it, restricted to their units
    file_stem: str = ""  # the download's file name starts with it (then contest, round or period, date)
    description: str = ""
    # The kinds of contest whose rounds it applies to ("contest": ranked contests, "survey": knowledge
    # surveys); the exports page lists only those rounds, and a round of another kind is refused.
    round_kinds: tuple[str, ...] = ("contest", "survey")

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every parameter this kind reads, required ones first."""
        return self.needs + tuple(p for p in self.accepts if p not in self.needs)

    def applies_to(self, contest_kind: str) -> bool:
        """Whether a round of a contest of ``contest_kind`` may be exported as this kind."""
        return contest_kind in self.round_kinds


KINDS: dict[str, ExportKind] = {kind.code: kind for kind in (
    ExportKind("attempts", "Bài thi và câu trả lời (dữ liệu gốc)", "attempts_with_answers",
               accepts=("round", "period"), personal=True, file_stem="bai-thi-va-cau-tra-loi",
               description="Mỗi bài thi một dòng, kèm phương án đã chọn ở từng câu."),
    ExportKind("standings", "Bảng xếp hạng đợt thi", "round_standings",
               needs=("round",), personal=True, file_stem="xep-hang", round_kinds=("contest",),
               description="Xếp hạng theo lần thi được tính, mỗi nhóm đối tượng một trang."),
    ExportKind("winners", "Danh sách đạt giải", "winners",
               needs=("round",), personal=True, file_stem="danh-sach-dat-giai", round_kinds=("contest",),
               description="Người đạt giải theo danh sách đã công bố (hoặc đề xuất, có ghi rõ)."),
    ExportKind("collective-ranking", "Xếp hạng tập thể", "collective_ranking",
               needs=("round",), file_stem="xep-hang-tap-the", round_kinds=("contest",),
               description="Xếp hạng các đơn vị của cuộc thi theo công thức đã chọn, kèm giải tập thể."),
    ExportKind("survey-report", "Báo cáo khảo sát kiến thức", "survey_report",
               needs=("round",), file_stem="bao-cao-khao-sat", round_kinds=("survey",),
               description="Tham gia, tỉ lệ đúng theo đơn vị và chủ đề, phân loại điểm, nhu cầu bồi dưỡng."),
    ExportKind("item-analysis", "Phân tích câu hỏi khảo sát", "item_analysis",
               needs=("round",), staff=False, file_stem="phan-tich-cau-hoi", round_kinds=("survey",),
               description="Chỉ số độ dễ, chỉ số phân biệt và tỉ lệ chọn từng phương án (có đáp án)."),
    ExportKind("unit-stats", "Thống kê theo đơn vị", "unit_statistics",
               accepts=("round", "period"), file_stem="thong-ke-don-vi",
               description="Người tham gia, lượt thi, tỷ lệ tham gia so với số người, điểm trung bình."),
    ExportKind("periodic-report", "Báo cáo định kỳ (tháng, quý)", "periodic_report",
               needs=("period",), file_stem="bao-cao-dinh-ky",
               description="Kết quả theo đơn vị và theo đợt thi trong kỳ, để đưa vào báo cáo CCHC."),
    ExportKind("audit-log", "Nhật ký thao tác", "audit_log",
               accepts=("period",), staff=False, file_stem="nhat-ky-thao-tac",
               description="Ai đã làm gì, lúc nào, thay đổi những gì."),
)}


def kinds_for(role: str) -> list[ExportKind]:
    """The kinds a user of ``role`` may run (organisers: all; unit managers: the staff kinds)."""
    if role == "organiser":
        return list(KINDS.values())
    if role == "unit_manager":
        return [k for k in KINDS.values() if k.staff]
    return []
