"""The contest's ranking settings: how it ranks people (tie-break order, overall rule) and units (collective
formula, unit prizes)."""

from __future__ import annotations

from contest.audit.service import diff, record
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.refresh import RankingError, ranking_order, refresh_results
from contest.ranking.standings import tie_break_order


def save_ranking_settings(contest: Contest, *, tie_break: list[str], overall_rule: str, prize_highest_only: bool,
                          collective_formula: str, collective_params: dict,
                          unit_prizes: dict[str, int]) -> list[Round]:
    """Store how the contest ranks people and units; return the published rounds that keep their order.

    A changed tie-break order re-ranks every round whose winners are not published yet (open or closed); a
    published round stays ranked by the order it was published with (:func:`ranking_order`), and the new
    order reaches its public pages only through a correction (publishing.correct_order). The organiser is
    told which rounds wait for one."""
    if sorted(tie_break) != sorted(tie_break_order(None)):
        raise RankingError("Mỗi tiêu chí xếp hạng phải có mặt đúng một lần.")
    before = {"tie_break": contest.tie_break, "overall_rule": contest.overall_rule,
              "prize_highest_only": contest.prize_highest_only, "collective_formula": contest.collective_formula,
              "collective_params": contest.collective_params,
              **{f"unit_prizes_{t}": getattr(contest, f"unit_prizes_{t}") for t in unit_prizes}}
    contest.tie_break = ",".join(tie_break)
    contest.overall_rule = overall_rule
    contest.prize_highest_only = prize_highest_only
    contest.collective_formula = collective_formula
    contest.collective_params = collective_params
    for tier, count in unit_prizes.items():
        setattr(contest, f"unit_prizes_{tier}", count)
    after = {**before, "tie_break": contest.tie_break, "overall_rule": overall_rule,
             "prize_highest_only": prize_highest_only, "collective_formula": collective_formula,
             "collective_params": collective_params, **{f"unit_prizes_{t}": n for t, n in unit_prizes.items()}}
    record("contest.edit", target=contest, summary=f"Sửa cách xếp hạng và trao giải: {contest.title}",
           changes=diff(before, after))
    kept: list[Round] = []
    if tie_break_order(before["tie_break"]) != tie_break_order(contest.tie_break):
        for round_ in sorted(contest.rounds, key=lambda r: r.number):
            if ranking_order(round_) != tie_break_order(contest.tie_break):
                kept.append(round_)  # published: ranked by its publication's order
            elif round_.results_refreshed_at is not None:
                refresh_results(round_)
    db.session.commit()
    return kept
