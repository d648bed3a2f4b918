"""Prize thresholds: a tier goes only to scores that reach its minimum; the rest stays unawarded and is told."""

from contest.ranking.prizes import (
    Placed,
    RoundPlaces,
    Unfilled,
    award_prizes,
    meets_threshold,
    unfilled_prizes,
    unfilled_text,
)

ALL = {"first": 1, "second": 1, "third": 1, "consolation": 2}


def scored(*scores, max_score=20):
    """A ranking (best first) of people 1, 2, … with these scores out of ``max_score``."""
    return [Placed(rank, rank, 100 + rank, score, max_score) for rank, score in enumerate(scores, start=1)]


def prizes(awards):
    return [(a.tier, a.user_id) for a in awards]


def test_a_score_exactly_at_the_threshold_meets_it():
    assert meets_threshold(18, 20, 90)


def test_a_score_just_below_the_threshold_does_not_meet_it():
    assert not meets_threshold(17.99, 20, 90)


def test_no_threshold_is_met_by_any_score():
    assert meets_threshold(0, 20, None)


def test_a_round_without_a_maximum_meets_only_a_zero_threshold():
    assert meets_threshold(0, 0, 0) and not meets_threshold(0, 0, 1)


def test_weighted_scores_are_compared_without_rounding_errors():
    assert meets_threshold(0.7 * 3, 3, 70)  # 2.0999999999999996 of 3: seven tenths, as the taker scored


def test_without_thresholds_prizes_go_down_the_ranking_as_before():
    rnd = RoundPlaces(1, ALL, {"residents": scored(20, 19, 18, 10, 5)})
    assert prizes(award_prizes([rnd])) == [("first", 1), ("second", 2), ("third", 3), ("consolation", 4),
                                           ("consolation", 5)]


def test_a_first_prize_nobody_reaches_stays_unawarded():
    rnd = RoundPlaces(1, {"first": 1}, {"residents": scored(17, 16)}, {"first": 90})
    assert award_prizes([rnd]) == []


def test_a_person_below_the_first_threshold_but_above_the_second_takes_the_second_prize():
    rnd = RoundPlaces(1, {"first": 1, "second": 1}, {"residents": scored(17, 16)}, {"first": 90, "second": 80})
    assert prizes(award_prizes([rnd])) == [("second", 1)]


def test_an_unfilled_prize_never_passes_down_to_a_score_below_its_threshold():
    rnd = RoundPlaces(1, {"first": 2}, {"residents": scored(19, 12, 11)}, {"first": 90})
    assert prizes(award_prizes([rnd])) == [("first", 1)]


def test_people_who_miss_every_threshold_win_nothing():
    rnd = RoundPlaces(1, ALL, {"residents": scored(19, 18, 4)},
                      {"first": 90, "second": 80, "third": 50, "consolation": 30})
    assert prizes(award_prizes([rnd])) == [("first", 1), ("second", 2)]


def test_a_tier_without_a_threshold_is_given_while_its_count_lasts():
    rnd = RoundPlaces(1, {"first": 1, "consolation": 2}, {"residents": scored(10, 9, 8)}, {"first": 90})
    assert prizes(award_prizes([rnd])) == [("consolation", 1), ("consolation", 2)]


def test_tied_scores_at_the_threshold_are_treated_alike():
    rnd = RoundPlaces(1, {"first": 1, "second": 2}, {"residents": scored(18, 18, 17)}, {"first": 90, "second": 90})
    assert prizes(award_prizes([rnd])) == [("first", 1), ("second", 2)]


def test_tied_scores_below_the_threshold_both_go_to_the_next_tier():
    rnd = RoundPlaces(1, {"first": 1, "second": 2}, {"residents": scored(17, 17, 10)}, {"first": 90, "second": 80})
    assert prizes(award_prizes([rnd])) == [("second", 1), ("second", 2)]


def test_the_counts_still_limit_the_people_who_meet_a_threshold():
    rnd = RoundPlaces(1, {"first": 1, "second": 1}, {"residents": scored(20, 19, 19)}, {"first": 90, "second": 90})
    assert prizes(award_prizes([rnd])) == [("first", 1), ("second", 2)]


def test_a_threshold_is_a_percentage_of_each_attempts_maximum():
    ranked = [Placed(1, 1, 101, 9, 10), Placed(2, 2, 102, 17, 20)]
    rnd = RoundPlaces(1, {"first": 2}, {"residents": ranked}, {"first": 90})
    assert prizes(award_prizes([rnd])) == [("first", 1)]


def test_highest_only_passes_a_prize_only_to_the_next_person_who_meets_its_threshold():
    rounds = [RoundPlaces(1, {"first": 1}, {"residents": scored(19, 15)}, {"first": 90}),
              RoundPlaces(2, {"first": 1}, {"residents": [Placed(1, 1, 201, 20, 20), Placed(2, 2, 202, 15, 20)]},
                          {"first": 90})]
    assert [(a.round_id, a.user_id) for a in award_prizes(rounds, highest_only=True)] == [(1, 1)]


def test_each_group_is_held_to_the_same_threshold():
    rnd = RoundPlaces(1, {"first": 1}, {"residents": scored(19), "officials": [Placed(1, 9, 109, 10, 20)]},
                      {"first": 90})
    assert [(a.group, a.user_id) for a in award_prizes([rnd])] == [("residents", 1)]


def test_unfilled_prizes_lists_each_short_tier_per_group():
    winners = [{"group": "residents", "tier": "second"}]
    assert unfilled_prizes({"first": 1, "second": 1, "third": 0}, {"first": 90}, winners, ["residents"]) == \
        [Unfilled("residents", "first", 1, 0, 90)]


def test_unfilled_prizes_is_empty_when_every_prize_is_given():
    winners = [{"group": "residents", "tier": "first"}]
    assert unfilled_prizes({"first": 1}, {"first": 90}, winners, ["residents"]) == []


def test_an_unawarded_tier_with_a_threshold_says_nobody_met_the_condition():
    assert unfilled_text(Unfilled("residents", "first", 1, 0, 90)) == \
        "Giải Nhất: không có người đạt điều kiện (≥ 90 % số điểm)"


def test_a_partly_awarded_tier_with_a_threshold_says_how_many_were_given():
    assert unfilled_text(Unfilled("residents", "second", 3, 1, 80)) == \
        "Giải Nhì: chỉ 1/3 giải có người đạt điều kiện (≥ 80 % số điểm)"


def test_an_unawarded_tier_without_a_threshold_says_there_were_too_few_participants():
    assert unfilled_text(Unfilled("residents", "consolation", 5, 0, None)) == \
        "Giải Khuyến khích: không có người nhận (không đủ người dự thi)"
