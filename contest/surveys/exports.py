"""The survey reports as export tables (contest.exports.tables.Table), the same figures the pages show.

``report_tables`` gives every sheet of a round's report workbook; each ``*_table`` function gives one sheet.
Rates are written as fractions in percent columns, so Excel shows 62,5% and can still compute with them.
"""

from __future__ import annotations

from contest.exports.tables import Column, Table
from contest.surveys.figures import ALL, BANDS
from contest.surveys.item_analysis import FLAG_LABELS
from contest.surveys.service import ItemRow, SurveyReport


def _title(report: SurveyReport, what: str) -> str:
    return f"{what} – {report.round.contest.title}, {report.round.title} ({report.whole_label.lower()})"


def participation_table(report: SurveyReport) -> Table:
    """Per unit: invited, taken, not yet taken, the rate, and the names of those not yet taken."""
    rows = [[p.unit.code, p.unit.name, p.invited, p.taken, p.invited - p.taken, p.rate,
             "; ".join(person.full_name for person in p.pending)] for p in report.participation]
    invited, taken = report.total_invited, report.total_taken
    rows.append(["", report.whole_label, invited, taken, invited - taken, taken / invited if invited else None, ""])
    return Table("Tham gia", [Column("Mã đơn vị"), Column("Đơn vị", width=40), Column("Được mời", "int"),
                              Column("Đã làm", "int"), Column("Chưa làm", "int"), Column("Tỉ lệ tham gia", "percent"),
                              Column("Người chưa làm", width=60)], rows, _title(report, "Tình hình tham gia"))


def heatmap_table(report: SurveyReport) -> Table:
    """Correct-answer rate per unit (rows) and topic (columns), the whole row last."""
    columns = [Column("Mã đơn vị"), Column("Đơn vị", width=40)]
    columns += [Column(t.name, "percent", width=14) for t in report.topics]
    rows = []
    for unit in report.units:
        unit_rates = report.rates.get(unit.id)
        if unit_rates:
            rows.append([unit.code, unit.name] + [_rate(unit_rates, t.id) for t in report.topics])
    rows.append(["", report.whole_label] + [_rate(report.rates[ALL], t.id) for t in report.topics])
    return Table("Tỉ lệ đúng theo chủ đề", columns, rows, _title(report, "Tỉ lệ trả lời đúng theo đơn vị và chủ đề"))


def _rate(unit_rates: dict, topic_id: int) -> float | None:
    rate = unit_rates.get(topic_id)
    return rate.value if rate else None


def bands_table(report: SurveyReport) -> Table:
    """How many results of each unit fall in each score band."""
    columns = [Column("Mã đơn vị"), Column("Đơn vị", width=40), Column("Số bài", "int")]
    columns += [Column(label, "int", width=12) for label in BANDS.values()]
    rows = []
    for unit in report.units:
        counts = report.bands.get(unit.id)
        if counts:
            rows.append([unit.code, unit.name, sum(counts.values())] + [counts[b] for b in BANDS])
    whole = report.bands[ALL]
    rows.append(["", report.whole_label, sum(whole.values())] + [whole[b] for b in BANDS])
    return Table("Phân loại điểm", columns, rows, _title(report, "Phân loại kết quả theo mức điểm"))


def needs_table(report: SurveyReport) -> Table:
    """The weakest topics of each unit, as a training-needs list."""
    names = {t.id: t.name for t in report.topics}
    rows = []
    for unit_id, label_code, label_name in [(u.id, u.code, u.name) for u in report.units] + \
            [(ALL, "", report.whole_label)]:
        for rank, need in enumerate(report.needs.get(unit_id, []), start=1):
            rows.append([label_code, label_name, rank, names.get(need.topic_id, "Chưa phân loại"), need.rate,
                         need.overall, f"Bồi dưỡng về “{names.get(need.topic_id, 'Chưa phân loại')}”"])
    return Table("Nhu cầu bồi dưỡng", [Column("Mã đơn vị"), Column("Đơn vị", width=40), Column("Thứ tự", "int"),
                                       Column("Chủ đề", width=40), Column("Tỉ lệ đúng", "percent"),
                                       Column("Tỉ lệ chung", "percent"), Column("Đề xuất", width=50)],
                 rows, _title(report, "Nhu cầu bồi dưỡng (chủ đề yếu nhất của từng đơn vị)"))


def results_table(report: SurveyReport) -> Table:
    """Each official's result (names and scores only: for organisers and the unit's managers)."""
    rows = [[r.unit.code if r.unit else "", r.unit.name if r.unit else "", r.user.full_name, r.user.position or "",
             r.attempt.score, r.attempt.max_score,
             (r.attempt.score or 0) / r.attempt.max_score if r.attempt.max_score else None, r.attempt.finished_at]
            for r in report.results]
    return Table("Kết quả", [Column("Mã đơn vị"), Column("Đơn vị", width=30), Column("Họ và tên", width=28),
                             Column("Chức vụ", width=20), Column("Điểm", "number"), Column("Điểm tối đa", "number"),
                             Column("Tỉ lệ", "percent"), Column("Nộp bài lúc", "datetime")],
                 rows, _title(report, "Kết quả từng người"))


def items_table(rows: list[ItemRow], title: str | None = None) -> Table:
    """Item analysis: facility, discrimination, option shares (the key marked) and flags per question."""
    letters = "ABCDEFGHIJ"
    out = []
    for row in rows:
        s = row.stats
        shares = "; ".join(f"{letters[i] if i < len(letters) else i + 1}{'*' if option in row.correct else ''}: "
                           f"{round(100 * s.option_shares[option])}%" for i, option in enumerate(row.options))
        out.append([row.code, row.topic, row.text, s.respondents, None if s.facility is None else s.facility / 100,
                    s.discrimination, shares, s.unanswered_share,
                    "; ".join(FLAG_LABELS[f] for f in s.flags)])
    return Table("Phân tích câu hỏi", [Column("Mã câu"), Column("Chủ đề", width=28), Column("Câu hỏi", width=60),
                                       Column("Số người làm", "int"), Column("Chỉ số độ dễ", "percent"),
                                       Column("Chỉ số phân biệt", "number"),
                                       Column("Tỉ lệ chọn từng phương án (* là đáp án)", width=40),
                                       Column("Bỏ trống", "percent"), Column("Cảnh báo", width=50)], out, title)


def wards_table(report: SurveyReport) -> Table:
    """Per ward (a city survey seen by the city): invited, taken, the rate, the mean score, the score bands and
    the correct-answer rate of each topic, each the sum of the ward's units."""
    columns = [Column("Mã phường, xã"), Column("Phường, xã", width=30), Column("Được mời", "int"),
               Column("Đã làm", "int"), Column("Tỉ lệ tham gia", "percent"), Column("Điểm trung bình", "number")]
    columns += [Column(label, "int", width=12) for label in BANDS.values()]
    columns += [Column(t.name, "percent", width=14) for t in report.topics]
    participation = {p.unit.id: p for p in report.ward_participation}
    rows = []
    for ward in report.wards:
        line = participation.get(ward.id)
        counts = report.ward_bands.get(ward.id, dict.fromkeys(BANDS, 0))
        rates = report.ward_rates.get(ward.id, {})
        rows.append([ward.code, ward.name, line.invited if line else None, line.taken if line else None,
                     line.rate if line else None, report.ward_means.get(ward.id)]
                    + [counts[b] for b in BANDS] + [_rate(rates, t.id) for t in report.topics])
    return Table("Theo phường", columns, rows, _title(report, "Kết quả theo phường, xã"))


def report_tables(report: SurveyReport, items: list[ItemRow] | None) -> list[Table]:
    """Every sheet of the round's report workbook (the item analysis only when ``items`` is given; the ward
    sheet when the report's units span several wards)."""
    tables = [participation_table(report), heatmap_table(report), bands_table(report), needs_table(report),
              results_table(report)]
    if report.by_ward:
        tables.insert(1, wards_table(report))
    if items is not None:
        tables.append(items_table(items, _title(report, "Phân tích câu hỏi")))
    return tables
