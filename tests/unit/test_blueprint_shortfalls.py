from contest.contests.blueprints import blueprint_shortfalls

AVAILABLE = {("Thể chế", None): 5, ("Thể chế", "easy"): 3, ("Thể chế", "hard"): 2, ("TTHC", None): 4,
             ("TTHC", "medium"): 4}


def test_a_blueprint_the_bank_can_fill_has_no_shortfall():
    assert blueprint_shortfalls({("residents", "Thể chế", None): 5, ("residents", "TTHC", None): 4}, AVAILABLE) == []


def test_a_topic_asking_for_more_than_it_has_is_reported():
    [short] = blueprint_shortfalls({("residents", "TTHC", None): 6}, AVAILABLE)
    assert (short.topic, short.wanted, short.available) == ("TTHC", 6, 4)


def test_a_difficulty_line_is_checked_on_its_own():
    [short] = blueprint_shortfalls({("residents", "Thể chế", "hard"): 3}, AVAILABLE)
    assert short.difficulty == "hard" and short.available == 2


def test_lines_of_one_topic_together_cannot_exceed_the_topic():
    shortfalls = blueprint_shortfalls({("residents", "Thể chế", "easy"): 3, ("residents", "Thể chế", None): 4},
                                      AVAILABLE)
    assert any(s.difficulty is None and s.wanted == 7 and s.available == 5 for s in shortfalls)


def test_an_unknown_topic_has_nothing_available():
    [short] = blueprint_shortfalls({("officials", "Khác", None): 1}, AVAILABLE)
    assert short.available == 0 and short.group == "officials"
