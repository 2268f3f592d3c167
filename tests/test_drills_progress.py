"""What to practise next: drills without evidence first, then the weakest."""

from engine.drills.progress import practice_suggestion


def test_a_new_profile_is_sent_to_the_strategy_drill():
    assert practice_suggestion([]).startswith("Start with Blackjack strategy")


def test_a_drill_with_few_answers_comes_before_the_weakest():
    stats = [
        {"drill": "bj-strategy", "attempts": 50, "accuracy": 0.5},
        {"drill": "poker-equity", "attempts": 3, "accuracy": 1.0},
    ]
    assert "Equity estimation: 3 answer(s)" in practice_suggestion(stats)


def test_the_weakest_drill_is_named_with_its_accuracy():
    stats = [
        {"drill": "bj-strategy", "attempts": 50, "accuracy": 0.9},
        {"drill": "count-true", "attempts": 20, "accuracy": 0.55},
    ]
    assert practice_suggestion(stats).startswith("Practise True count conversion next: 55%")
