"""Prize rules on crafted rankings: tiers down the ranking, one per person per round, highest only."""

from contest.ranking.prizes import Placed, RoundPlaces, award_prizes, award_unit_prizes, compare_winners


def ranking(*user_ids):
    return [Placed(rank, user_id, 100 + user_id) for rank, user_id in enumerate(user_ids, start=1)]


def prizes(awards):
    return [(a.round_id, a.group, a.tier, a.user_id) for a in awards]


def test_tiers_are_given_down_the_ranking_in_order():
    rnd = RoundPlaces(1, {"first": 1, "second": 1, "third": 2}, {"residents": ranking(5, 6, 7, 8, 9)})
    assert prizes(award_prizes([rnd])) == [(1, "residents", "first", 5), (1, "residents", "second", 6),
                                           (1, "residents", "third", 7), (1, "residents", "third", 8)]


def test_each_group_gets_the_rounds_prize_counts():
    rnd = RoundPlaces(1, {"first": 1}, {"residents": ranking(1, 2), "officials": ranking(3, 4)})
    assert prizes(award_prizes([rnd])) == [(1, "officials", "first", 3), (1, "residents", "first", 1)]


def test_a_person_holds_one_prize_per_round_even_in_two_groups():
    rnd = RoundPlaces(1, {"first": 1, "second": 1}, {"residents": ranking(1, 2, 3), "officials": ranking(1, 4)})
    awarded = award_prizes([rnd])
    assert [a.user_id for a in awarded].count(1) == 1
    assert prizes(awarded) == [(1, "officials", "first", 4), (1, "residents", "first", 1),
                               (1, "residents", "second", 2)]


def test_without_highest_only_a_person_may_win_in_every_round():
    rounds = [RoundPlaces(1, {"first": 1}, {"residents": ranking(1, 2)}),
              RoundPlaces(2, {"first": 1}, {"residents": ranking(1, 2)})]
    assert prizes(award_prizes(rounds)) == [(1, "residents", "first", 1), (2, "residents", "first", 1)]


def test_highest_only_passes_a_repeat_winners_prize_to_the_next_in_rank():
    rounds = [RoundPlaces(1, {"first": 1}, {"residents": ranking(1, 2)}),
              RoundPlaces(2, {"first": 1}, {"residents": ranking(1, 2)})]
    assert prizes(award_prizes(rounds, highest_only=True)) == [(1, "residents", "first", 1),
                                                               (2, "residents", "first", 2)]


def test_highest_only_keeps_the_higher_prize_from_a_later_round():
    rounds = [RoundPlaces(1, {"first": 1, "consolation": 1}, {"residents": ranking(1, 7, 3)}),
              RoundPlaces(2, {"first": 1}, {"residents": ranking(7, 3)})]
    assert prizes(award_prizes(rounds, highest_only=True)) == [(1, "residents", "first", 1),
                                                               (1, "residents", "consolation", 3),
                                                               (2, "residents", "first", 7)]


def test_fewer_participants_than_prizes_leaves_prizes_unawarded():
    rnd = RoundPlaces(1, {"first": 1, "second": 3}, {"residents": ranking(1, 2)})
    assert len(award_prizes([rnd])) == 2


def test_unit_prizes_go_down_the_collective_ranking():
    awards = award_unit_prizes([30, 10, 20], {"first": 1, "second": 1, "third": 0, "consolation": 5})
    assert [(a.tier, a.unit_id) for a in awards] == [("first", 30), ("second", 10), ("consolation", 20)]


def test_comparing_winner_lists_names_who_gained_lost_or_changed_a_prize():
    before = [{"group": "residents", "user_id": 1, "tier": "first"}, {"group": "residents", "user_id": 2,
                                                                       "tier": "second"}]
    after = [{"group": "residents", "user_id": 2, "tier": "first"}, {"group": "residents", "user_id": 3,
                                                                      "tier": "second"}]
    changes = {(c.key[1], c.before, c.after) for c in compare_winners(before, after, ("group", "user_id"))}
    assert changes == {(1, "first", None), (2, "second", "first"), (3, None, "second")}
