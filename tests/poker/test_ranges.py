"""Range notation: combo counts, card removal, weights, the grid and its inverse, errors."""

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cards import DECK, card_to_int, cards_to_ints
from engine.errors import CardError, RangeError
from engine.poker.ranges import (
    COMBOS,
    N_COMBOS,
    Range,
    class_names,
    from_grid,
    parse_range,
    top_range,
)


def combo_set(r: Range) -> set[frozenset[str]]:
    return {frozenset((DECK[a], DECK[b])) for a, b in r.combos}


# --- combo counts known by hand: a pair has 6 combos, a suited class 4, an offsuit 12 ---


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("AA", 6),
        ("22", 6),
        ("AKs", 4),
        ("72s", 4),
        ("KQo", 12),
        ("AK", 16),
        ("QQ+", 18),  # QQ, KK, AA
        ("22+", 78),  # 13 pairs
        ("77-55", 18),
        ("A5s-A2s", 16),
        ("A2s+", 48),  # 12 kickers x 4
        ("K9o+", 48),  # K9o KTo KJo KQo x 12
        ("T9s+", 4),  # 9 is already the top kicker under a ten
        ("AQ+", 32),  # AQs AKs AQo AKo
        ("AhKh", 1),
        ("random", 1326),
        ("any", 1326),
        # 77+ = 8 pairs x 6 = 48; A9s+ = 5 x 4 = 20; KTs+ = 3 x 4 = 12; QTs+ = 2 x 4 = 8;
        # AJo+ = 3 x 12 = 36; KQo = 12.  48 + 20 + 12 + 8 + 36 + 12 = 136
        ("77+, A9s+, KTs+, QTs+, AJo+, KQo", 136),
        # 55+ = 10 x 6 = 60; A3s+ = 11 x 4 = 44; K7s+ = 6 x 4 = 24; Q8s+ = 4 x 4 = 16;
        # J9s+ = 2 x 4 = 8; T9s = 4; A9o+ = 5 x 12 = 60; KTo+ = 3 x 12 = 36; QTo+ = 24;
        # JTo = 12.  Total 288
        ("55+, A3s+, K7s+, Q8s+, J9s+, T9s, A9o+, KTo+, QTo+, JTo", 288),
    ],
)
def test_combo_counts_match_counting_by_hand(text, count):
    r = parse_range(text)
    assert len(r) == count
    assert r.combo_count == count
    assert r.share == pytest.approx(count / 1326)


@pytest.mark.parametrize(
    "text",
    [
        "QQ+",
        "77-55",
        "A5s-A2s",
        "AK",
        "AQ+",
        "A2s+, K9o+",
        "T9s+",
        "AhKh, 7c2d",
        "77+, A9s+, KTs+, QTs+, AJo+, KQo",
        "55+, A3s+, K7s+, Q8s+, J9s+, T9s, A9o+, KTo+, QTo+, JTo",
        "22+, A2+, K2+, Q2+, J2+, T2+, 92+, 82+, 72+, 62+, 52+, 42+, 32",
    ],
)
def test_the_same_combos_as_eval7_reads_from_the_same_text(text):
    """eval7's own range parser (a dev dependency) as an independent reading."""
    eval7 = pytest.importorskip("eval7")
    theirs = {frozenset(str(card) for card in hand) for hand, _ in eval7.HandRange(text).hands}
    assert combo_set(parse_range(text)) == theirs


def test_the_169_classes_cover_all_1326_combos_once():
    names = class_names()
    assert len(set(names)) == 169
    total = sum(len(parse_range(name)) for name in names)
    assert total == N_COMBOS
    union = set()
    for name in names:
        union |= combo_set(parse_range(name))
    assert len(union) == 1326


def test_combos_are_card_indices_sorted_high_first():
    r = parse_range("random")
    assert r.combos.shape == (1326, 2)
    assert r.weights.dtype == np.float64
    assert (r.combos[:, 0] > r.combos[:, 1]).all()
    assert r.combos.min() == 0 and r.combos.max() == 51
    assert len({tuple(row) for row in r.combos.tolist()}) == 1326
    assert (COMBOS[:, 0] > COMBOS[:, 1]).all()


def test_suited_and_offsuit_classes_hold_the_right_suits():
    assert combo_set(parse_range("AKs")) == {frozenset(("A" + s, "K" + s)) for s in "shdc"}
    offsuit = combo_set(parse_range("AKo"))
    assert all(a[1] != b[1] for a, b in (sorted(c) for c in offsuit))
    assert combo_set(parse_range("QQ")) == {
        frozenset(p) for p in itertools.combinations(["Qs", "Qh", "Qd", "Qc"], 2)
    }


def test_a_concrete_hand_is_one_combo_at_weight_one_in_either_order():
    r = parse_range("AhKh")
    assert r.combos.tolist() == [[card_to_int("Ah"), card_to_int("Kh")]]
    assert r.weights.tolist() == [1.0]
    assert parse_range("KhAh") == r
    assert parse_range("kh ah".replace(" ", "")) == r


def test_a_combo_may_be_written_as_two_cards_apart():
    assert parse_range("Ah Kh") == parse_range("AhKh")
    assert parse_range("ah kh:0.5, QQ+").weight_of("AhKh") == 0.5
    assert len(parse_range("Ah Kh Qs Qd")) == 2
    with pytest.raises(RangeError, match="'Qs' is not a valid hand class"):
        parse_range("Ah Kh Qs")


def test_notation_is_tolerant_of_case_whitespace_tens_and_order():
    expected = parse_range("QQ+, AKs, A5s-A2s, T9o")
    for text in [
        "qq+,aks,a5s-a2s,t9o",
        "  QQ +,\tAKs ,A5s - A2s , 109o ",
        "QQ+ AKs A5s-A2s T9o",
        "QQ+; AKs; A2s-A5s; 9To",
        "AKs, QQ+, A5s-A2s, T9o,",
    ]:
        assert parse_range(text) == expected, text


def test_spans_may_be_written_either_way_round():
    assert parse_range("55-77") == parse_range("77-55") == parse_range("77, 66, 55")
    assert parse_range("KQo-K9o") == parse_range("K9o+")


# --- canonical text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("AA, KK, QQ", "QQ+"),
        ("AKs, QQ+, A5s-A2s", "QQ+, AKs, A5s-A2s"),
        ("77+, A9s+, KTs+, QTs+, AJo+, KQo", "77+, A9s+, KTs+, QTs+, AJo+, KQo"),
        ("AK", "AKs, AKo"),
        ("99-22", "99-22"),
        ("JJ", "JJ"),
        ("A2s+", "A2s+"),
        ("AKs:0.5, AQs:0.5, AJs", "AQs+:0.5, AJs"),
        ("random", "random"),
        ("random:0.25", "random:0.25"),
        ("AhKh, AsKs", "AsKs, AhKh"),
        ("KK+, AsAh:0.5", "AsAh:0.5, AsAd, AsAc, AhAd, AhAc, AdAc, KK"),
        ("QQ+, KK:0.5", "AA, KK:0.5, QQ"),
        ("K9s-K7s, K5s", "K9s-K7s, K5s"),
    ],
)
def test_text_is_compact_canonical_notation(text, canonical):
    r = parse_range(text)
    assert r.text == canonical
    assert parse_range(r.text) == r


def test_range_is_immutable_hashable_and_equal_by_combos_and_weights():
    r = parse_range("QQ+, AKs")
    assert hash(r) == hash(parse_range("AA, KK, QQ, AKs"))
    assert r == parse_range("AKs, QQ+")
    assert r != parse_range("QQ+, AKs:0.5")
    assert len({r, parse_range("AKs,QQ+")}) == 1
    with pytest.raises(ValueError):
        r.weights[0] = 0.5
    with pytest.raises(ValueError):
        r.combos[0, 0] = 3
    assert repr(r) == "Range('QQ+, AKs', combos=22)"


def test_a_pickled_range_comes_back_equal_and_read_only():
    r = parse_range("QQ+, AKs:0.5", dead="Ah")
    back = pickle.loads(pickle.dumps(r))
    assert back == r and back.text == r.text and back.dead == r.dead
    with pytest.raises(ValueError):
        back.weights[0] = 0.25


# --- weights ------------------------------------------------------------------------------


def test_weights_count_fractionally_and_the_later_token_wins():
    r = parse_range("AKs:0.5, QQ+")
    assert len(r) == 22
    assert r.combo_count == 2 + 18
    r = parse_range("QQ+, KK:0.25")
    assert r.weight_of("KsKh") == 0.25
    assert r.weight_of("AsAh") == 1.0
    assert r.combo_count == 12 + 6 * 0.25
    # Later wins also when the later weight is higher.
    assert parse_range("AK:0.5, AKs").weight_of("AhKh") == 1.0
    assert parse_range("AK:0.5, AKs").weight_of("AhKd") == 0.5


def test_weight_of_an_absent_combo_is_zero():
    assert parse_range("QQ+").weight_of("AhKh") == 0.0
    assert parse_range("QQ+").weight_of((card_to_int("Ah"), card_to_int("As"))) == 1.0


@pytest.mark.parametrize("weight", ["0", "1.5", "-0.5", "x", "", "nan", "inf"])
def test_a_bad_weight_is_refused_quoting_the_token(weight):
    with pytest.raises(RangeError) as err:
        parse_range(f"QQ+, AKs:{weight}")
    assert f"'AKs:{weight}'" in str(err.value)
    assert "greater than 0 and at most 1" in str(err.value)


# --- card removal -------------------------------------------------------------------------


def test_dead_cards_remove_colliding_combos():
    assert len(parse_range("AA", dead=[card_to_int("As")])) == 3
    assert len(parse_range("AA", dead="As Ah")) == 1
    assert len(parse_range("AKs", dead=["Ah"])) == 3
    assert len(parse_range("AKo", dead="Ah")) == 9
    # Any two cards with two known cards: C(50, 2) = 1225; with a flop too: C(47, 2) = 1081.
    assert len(parse_range("random", dead="AhKh")) == 1225
    assert len(parse_range("random", dead=cards_to_ints("AhKh 2c7d9h"))) == 1081
    r = parse_range("QQ+, AKs", dead="Ks Qd")
    assert len(r) == 18 - 3 - 3 + 3
    assert not any(card_to_int(c) in row for row in r.combos for c in ("Ks", "Qd"))


def test_text_keeps_the_range_as_written_and_dead_rebuilds_it():
    r = parse_range("QQ+, AKs", dead="Ah")
    assert r.text == "QQ+, AKs"
    assert r.dead == (card_to_int("Ah"),)
    assert parse_range(r.text, r.dead) == r
    assert repr(r) == "Range('QQ+, AKs', dead='Ah', combos=18)"
    assert parse_range("QQ+, AKs").remove_cards("Ah") == r


def test_remove_cards_accumulates():
    r = parse_range("random").remove_cards("2c 7d 9h").remove_cards([card_to_int("Ah")])
    assert len(r) == 1128  # C(48, 2)
    assert r.dead == tuple(sorted(cards_to_ints("2c 7d 9h Ah")))


def test_a_range_left_without_combos_is_an_error():
    with pytest.raises(RangeError, match="no combos left"):
        parse_range("AhKh", dead="Kh")
    with pytest.raises(RangeError, match="no combos left"):
        parse_range("AA", dead="As Ah Ad")


def test_bad_dead_cards_raise_card_errors():
    with pytest.raises(CardError):
        parse_range("AA", dead="Xx")
    with pytest.raises(CardError):
        parse_range("AA", dead=[52])


# --- membership ---------------------------------------------------------------------------


def test_membership_of_combos_and_classes():
    r = parse_range("QQ+, AKs", dead="Ah")
    assert "AsKs" in r
    assert "KsAs" in r
    assert "AhKh" not in r  # removed with the dead ace
    assert (card_to_int("Qs"), card_to_int("Qh")) in r
    assert "AKs" in r and "KK" in r
    assert "AKo" not in r and "JJ" not in r
    with pytest.raises(CardError):
        _ = "AhAh" in r


# --- grid ---------------------------------------------------------------------------------


def test_grid_uses_the_equilab_layout():
    g = parse_range("AA, AKs, AKo:0.5, 72o, 32s").grid()
    assert g.shape == (13, 13)
    assert g[0, 0] == 1.0  # AA, top left
    assert g[0, 1] == 1.0  # AKs above the diagonal, row A column K
    assert g[1, 0] == 0.5  # AKo below the diagonal, row K column A
    assert g[12, 7] == 1.0  # 72o: row 2, column 7
    assert g[11, 12] == 1.0  # 32s: row 3, column 2
    assert g.sum() == 4.5
    names = np.array(class_names()).reshape(13, 13)
    assert names[0, 1] == "AKs" and names[1, 0] == "AKo" and names[12, 12] == "22"


def test_grid_cells_are_the_share_of_combos_present_times_weight():
    g = parse_range("AKs:0.5", dead="Ah").grid()
    assert g[0, 1] == pytest.approx(0.5 * 3 / 4)
    g = parse_range("AhKh").grid()
    assert g[0, 1] == 0.25
    g = parse_range("AA", dead="As").grid()
    assert g[0, 0] == pytest.approx(3 / 6)


def test_classes_lists_present_classes_in_canonical_order():
    r = parse_range("AKo, 22, AKs:0.5, KK+, AhQh")
    assert list(r.classes()) == [
        ("AA", 1.0),
        ("KK", 1.0),
        ("22", 1.0),
        ("AKs", 0.5),
        ("AQs", 0.25),
        ("AKo", 1.0),
    ]


def test_from_grid_gives_compact_text_for_the_range_editor():
    g = np.zeros((13, 13))
    g[0, 0] = g[1, 1] = g[2, 2] = 1.0  # AA KK QQ
    g[0, 1] = 1.0  # AKs
    g[0, 9:13] = 1.0  # A5s..A2s
    r = from_grid(g)
    assert r.text == "QQ+, AKs, A5s-A2s"
    assert r == parse_range("QQ+, AKs, A5s-A2s")
    assert from_grid(g.tolist()) == r
    assert len(from_grid(g, dead="As")) == len(r) - 3 - 1 - 4


def test_from_grid_of_a_full_grid_is_random():
    assert from_grid(np.ones((13, 13))).text == "random"
    assert from_grid(np.full((13, 13), 0.5)).text == "random:0.5"


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (np.zeros((13, 13)), "empty"),
        (np.zeros((12, 13)), "13x13"),
        (np.full((13, 13), 1.5), "between 0 and 1"),
        (np.full((13, 13), -0.1), "between 0 and 1"),
        (np.full((13, 13), np.nan), "between 0 and 1"),
    ],
)
def test_from_grid_refuses_bad_grids(grid, message):
    with pytest.raises(RangeError, match=message):
        from_grid(grid)


_CLASS_WEIGHTS = st.dictionaries(
    st.sampled_from(class_names()),
    st.one_of(st.just(1.0), st.floats(min_value=0.001, max_value=1.0)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(_CLASS_WEIGHTS)
def test_from_grid_inverts_grid(class_weights):
    text = ", ".join(f"{name}:{w!r}" for name, w in class_weights.items())
    r = parse_range(text)
    back = from_grid(r.grid())
    assert back == r
    np.testing.assert_array_equal(back.combos, r.combos)
    np.testing.assert_array_equal(back.weights, r.weights)
    assert back.text == r.text
    assert parse_range(back.text) == r


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(range(N_COMBOS)), min_size=1, max_size=30), st.data())
def test_canonical_text_round_trips_any_set_of_combos(indices, data):
    weights = {i: data.draw(st.sampled_from([1.0, 0.5, 0.125, 0.3])) for i in indices}
    text = ", ".join(f"{DECK[COMBOS[i][0]]}{DECK[COMBOS[i][1]]}:{w}" for i, w in weights.items())
    r = parse_range(text)
    assert len(r) == len(weights)
    assert parse_range(r.text) == r
    assert r.combo_count == pytest.approx(sum(weights.values()))


# --- errors quote the token and say what was expected -------------------------------------


@pytest.mark.parametrize("token", ["AKx", "AXs", "A", "AKQ", "AKs++", "Ah", "AhKhQh", "A-K"])
def test_a_bad_token_is_quoted_with_examples_of_valid_ones(token):
    with pytest.raises(RangeError) as err:
        parse_range(f"QQ+, {token}, 72o")
    assert str(err.value) == (
        f"{token!r} is not a valid hand class: expected e.g. AKs, AKo, AK, QQ+, A5s-A2s, AhKh"
    )


@pytest.mark.parametrize("span", ["A5s-K2s", "A5s-A2o", "77-A2s", "AK-QJ", "77s-55s"])
def test_a_bad_span_is_quoted_and_explained(span):
    with pytest.raises(RangeError) as err:
        parse_range(span)
    assert f"{span!r} is not a valid span" in str(err.value)
    assert "e.g." in str(err.value)


@pytest.mark.parametrize("token", ["AAs", "KKo"])
def test_a_suited_pair_is_refused(token):
    with pytest.raises(RangeError, match="pair cannot be suited"):
        parse_range(token)


def test_the_same_card_twice_is_not_a_combo():
    with pytest.raises(RangeError, match="'AhAh' is not a valid combo"):
        parse_range("AhAh")


@pytest.mark.parametrize("text", ["", "   ", ",", " , ;"])
def test_an_empty_range_is_an_error(text):
    with pytest.raises(RangeError, match="empty"):
        parse_range(text)


def test_a_range_must_be_text():
    with pytest.raises(RangeError, match="as text"):
        parse_range(None)  # type: ignore[arg-type]


def test_range_errors_are_value_errors_for_callers_that_catch_those():
    with pytest.raises(ValueError):
        parse_range("AKx")


# --- top N% -------------------------------------------------------------------------------


@pytest.fixture
def grid_order(monkeypatch):
    """Stand-in for the preflop strength order (grid order), to test the cut alone."""
    import engine.poker.preflop

    monkeypatch.setattr(engine.poker.preflop, "hand_classes_by_strength", class_names)
    return class_names()


def test_top_range_cuts_the_order_at_the_prefix_nearest_the_percent(grid_order):
    # Grid order starts AA (6), AKs (4), AQs (4), ... A2s (4), AKo (12), KK (6), ...
    assert top_range(6 / 1326 * 100).text == "AA"
    assert top_range(10 / 1326 * 100).text == "AA, AKs"
    assert top_range(11.9 / 1326 * 100).text == "AA, AKs"  # 10 is nearer than 14
    assert top_range(12.1 / 1326 * 100).text == "AA, AQs+"  # 14 is nearer than 10
    assert top_range(12 / 1326 * 100).text == "AA, AQs+"  # a tie goes to the larger range
    assert top_range(0.01).text == "AA"  # never empty
    assert top_range(100).text == "random"


def test_top_range_removes_dead_cards(grid_order):
    assert len(top_range(6 / 1326 * 100, dead="As")) == 3


@pytest.mark.parametrize("percent", [0, -5, 100.5, float("nan"), "ten"])
def test_top_range_needs_a_percent_above_0_and_at_most_100(percent):
    with pytest.raises(RangeError, match="percent must be above 0 and at most 100"):
        top_range(percent)


def test_top_5_percent_is_the_strongest_66_or_so_combos():
    # 5 % of 1326 is 66.3 combos. By equity against a random hand (PokerStove: AA 85.2 %,
    # KK 82.4, QQ 79.9, JJ 77.5, TT 75.1, 99 72.1, 88 69.2, AKs 67.0, 77 66.2, AQs 66.2,
    # AJs 65.4, AKo 65.3) the prefix nearest 66.3 ends at AKo: 7 pairs, 3 suited, 1 offsuit.
    r = top_range(5)
    assert {"AA", "KK", "QQ", "JJ", "TT", "99", "AKs"} <= {name for name, _ in r.classes()}
    assert len(r) == 8 * 6 + 3 * 4 + 12 == 72
    assert r.text == "77+, AJs+, AKo"


@pytest.mark.parametrize("percent", [0.5, 1, 2, 5, 7.5, 10, 15, 20, 25, 33, 50, 75, 90, 100])
def test_top_range_is_the_prefix_of_the_strength_order_nearest_the_percent(percent):
    from engine.poker.preflop import hand_classes_by_strength

    order = hand_classes_by_strength()
    r = top_range(percent)
    names = [name for name, _ in r.classes()]
    assert set(names) == set(order[: len(names)])
    assert all(value == 1.0 for _, value in r.classes())
    # Nearest prefix: off by at most half of the next or last class (12 combos at most).
    assert abs(len(r) - percent / 100 * 1326) <= 6


def test_top_ranges_nest():
    previous: set[str] = set()
    for percent in range(1, 101):
        names = {name for name, _ in top_range(percent).classes()}
        assert previous <= names
        previous = names
    assert top_range(100) == parse_range("random")
