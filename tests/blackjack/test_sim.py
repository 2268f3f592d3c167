"""The simulator: known answers (exact house edge by the chart), reproducibility, options.

Reference figures (tests/blackjack/data/sim_reference.json, copied from Felt's shared
reference data): the published 4-8 deck S17/H17 DAS LS basic strategy charts and the
exact expected value of 6D S17 DAS LS played entirely by the S17 chart,
-0.003332156 (combinatorial analysis, Farmer's CA; the same figure house_edge(rules,
play="basic") must give).
"""

import json
import math
import pathlib
import threading

import pytest

from engine.blackjack.rules import Rules
from engine.blackjack.simulate import parse_ramp, simulate
from engine.errors import RulesError

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "sim_reference.json").read_text())
S17 = Rules.parse("6D S17 DAS LS")
CHART = DATA["charts"]["6D_S17_DAS_LS"]
TD_EV = DATA["td_chart_ev"]["6D_S17_DAS_LS"]


def _exact_basic_ev(rules):
    """-house_edge(rules, play="basic") from the exact engine when it exists, else the figure."""
    try:
        from engine.blackjack import house_edge
    except ImportError:
        return TD_EV
    return -house_edge(rules, play="basic")


@pytest.mark.exhaustive
def test_reference_figure_matches_the_exact_engine_when_present():
    assert _exact_basic_ev(S17) == pytest.approx(TD_EV, abs=1e-5)


def test_basic_strategy_reshuffled_every_round_converges_to_the_exact_edge():
    r = simulate(S17, 2_000_000, penetration=None, seed=2024, chart=CHART)
    assert r.hands == 2_000_000
    assert abs(r.ev_per_hand - TD_EV) < 2 * r.stderr
    assert 1.13 < r.sd_per_hand < 1.16  # published SD of a blackjack round: about 1.14-1.15


@pytest.mark.exhaustive
def test_basic_strategy_converges_over_ten_million_hands():
    r = simulate(S17, 40_000_000, penetration=None, seed=2026, chart=CHART, session_hands=0)
    assert abs(r.ev_per_hand - _exact_basic_ev(S17)) < 2 * r.stderr


def test_a_seed_reproduces_whatever_the_number_of_threads():
    a = simulate(S17, 200_000, seed=11, chart=CHART, workers=1)
    b = simulate(S17, 200_000, seed=11, chart=CHART, workers=2)
    c = simulate(S17, 200_000, seed=12, chart=CHART)
    assert (a.ev_per_hand, a.sd_per_hand) == (b.ev_per_hand, b.sd_per_hand)
    assert a.ev_per_hand != c.ev_per_hand
    assert a.seed == 11


def test_result_statistics_are_consistent():
    r = simulate(S17, 200_000, seed=3, chart=CHART, ramp="1:1,2:4,3:8,4:12")
    lo, hi = r.ev_ci95
    assert lo < r.ev_per_hand < hi
    assert hi - lo == pytest.approx(2 * 1.959964 * r.sd_per_hand / math.sqrt(r.hands))
    assert r.win_rate_per_100 == pytest.approx(100 * r.ev_per_hand)
    if r.ev_per_hand > 0:
        assert r.n0 == pytest.approx((r.sd_per_hand / r.ev_per_hand) ** 2)
        assert r.score == pytest.approx(1e6 / r.n0)
    assert r.average_bet > 1
    assert sum(f for f, _ in r.by_count.values()) == pytest.approx(1)
    json.dumps(r.as_dict())


def test_flat_betting_bets_one_unit_and_edge_equals_ev():
    r = simulate(S17, 100_000, seed=5, chart=CHART)
    assert r.average_bet == 1
    assert r.edge == pytest.approx(r.ev_per_hand)


def test_hilo_true_count_moves_the_edge_about_half_a_percent_per_point():
    # Rule of thumb from every counting text: each Hi-Lo true count point is worth ~0.5%.
    r = simulate(S17, 2_000_000, seed=9, chart=CHART, penetration=0.8, session_hands=0)
    pts = [(tc, f, ev) for tc, (f, ev) in r.by_count.items() if -3 <= tc <= 4]
    w = sum(f for _, f, _ in pts)
    mx = sum(t * f for t, f, _ in pts) / w
    my = sum(e * f for _, f, e in pts) / w
    slope = sum(f * (t - mx) * (e - my) for t, f, e in pts) / sum(
        f * (t - mx) ** 2 for t, f, _ in pts
    )
    assert 0.003 < slope < 0.007
    assert r.by_count[4][1] > 0 > r.by_count[-3][1]


def test_a_spread_with_good_penetration_beats_the_house():
    r = simulate(
        S17,
        3_000_000,
        seed=21,
        chart=CHART,
        strategy="indices",
        ramp="1:1,2:4,3:8,4:12",
        penetration=0.83,
    )
    assert r.ev_ci95[0] > 0
    assert r.score > 0 and math.isfinite(r.n0)


def test_index_plays_switch_the_chart_at_their_counts():
    from engine.blackjack import _sim_kernel as K
    from engine.blackjack.indices import index_plays
    from engine.blackjack.simulate import _layered, chart_tables

    hard, soft, pair = chart_tables(CHART)
    H, _, P, insure = _layered(hard, soft, pair, index_plays(S17))
    at = lambda tc: tc + K.BMAX  # noqa: E731
    t, five, six = 8, 3, 4  # columns of T, 5 and 6
    assert H[at(-1), 16, t] == K.RH and H[at(0), 16, t] == K.RS  # surrender, else stand at 0+
    assert H[at(3), 10, t] == K.H and H[at(4), 10, t] == K.D
    assert H[at(-2), 13, 0] == K.H and H[at(-1), 13, 0] == K.S  # 13 v 2: hit below -1
    assert H[at(2), 14, t] == K.H and H[at(3), 14, t] == K.RH  # Fab 4: surrender 14 v T at 3
    assert H[at(-1), 15, t] == K.H and H[at(0), 15, t] == K.RH and H[at(4), 15, t] == K.RS
    assert P[at(4), 9, five] == K.S and P[at(5), 9, five] == K.P
    assert P[at(3), 9, six] == K.S and P[at(4), 9, six] == K.P
    assert not insure[at(2)] and insure[at(3)] and not insure[K.NLAYERS]
    assert (H[K.NLAYERS] == hard).all()  # the other seats play plain basic strategy


def test_index_plays_earn_more_than_basic_at_high_counts():
    kw = dict(chart=CHART, penetration=0.85, wong_in=3, wong_out=3, seats=4, session_hands=0)
    basic = simulate(S17, 150_000, seed=4, **kw)
    indices = simulate(S17, 150_000, seed=4, strategy="indices", **kw)
    assert min(basic.by_count) >= 3 and min(indices.by_count) >= 3
    assert basic.ev_ci95[0] > 0  # a true count of 3 or more is a player's game
    # and index plays (insurance above all) add to it: about +0.5% to +1% at these counts
    assert indices.ev_per_hand > basic.ev_per_hand + 0.003


def test_wonging_out_never_bets_below_the_exit_count():
    r = simulate(S17, 200_000, seed=6, chart=CHART, wong_in=1, wong_out=-1, seats=2)
    assert min(r.by_count) >= -1
    assert r.rounds_dealt > r.hands


@pytest.mark.parametrize("count", ["ko", "red7", "hiopt2", "zen", "halves", "omega2", "hiopt1"])
def test_every_count_system_runs_and_finds_an_edge_at_its_high_counts(count):
    ramp = {-4: 1, 4: 8} if count == "ko" else ({0: 8} if count == "red7" else {2: 8})
    r = simulate(S17, 400_000, seed=8, chart=CHART, count=count, ramp=ramp, penetration=0.8)
    assert r.hands == 400_000
    high = [ev for c, (f, ev) in r.by_count.items() if c >= max(ramp) and f > 0.01]
    low = [ev for c, (f, ev) in r.by_count.items() if c < min(ramp) and f > 0.01]
    assert high and low
    assert sum(high) / len(high) > sum(low) / len(low)


def test_more_seats_burn_card_and_seat_position_still_play_our_hands():
    r = simulate(S17, 100_000, seed=1, chart=CHART, seats=7, seat=4, burn=1)
    assert r.hands == 100_000 == r.rounds_dealt
    assert abs(r.ev_per_hand - TD_EV) < 5 * r.stderr


def test_sessions_are_collected():
    r = simulate(S17, 200_000, seed=1, chart=CHART, session_hands=200)
    s = r.sessions
    assert s.count == 1000 and s.hands == 200
    assert s.mean == pytest.approx(r.ev_per_hand * 200, abs=1e-9)
    assert s.sd == pytest.approx(r.sd_per_hand * math.sqrt(200), rel=0.15)
    assert all(s.lows <= 0) and all(s.lows <= s.results)
    assert 0.3 < s.p_loss < 0.7
    assert s.percentiles["p5"] < s.percentiles["p50"] < s.percentiles["p95"]


def test_european_no_hole_card_costs_the_player():
    enhc = simulate(
        Rules.parse("6D S17 DAS ENHC"), 2_000_000, seed=3, chart=CHART, penetration=None
    )
    peek = simulate(Rules.parse("6D S17 DAS"), 2_000_000, seed=3, chart=CHART, penetration=None)
    assert enhc.ev_per_hand < peek.ev_per_hand


def test_six_to_five_blackjack_costs_about_one_point_four_percent():
    pays65 = simulate(
        S17.replace(blackjack_pays=1.2), 1_000_000, seed=1, chart=CHART, penetration=None
    )
    pays32 = simulate(S17, 1_000_000, seed=1, chart=CHART, penetration=None)
    # same seed, same cards: the difference is 0.3 x the rate of naturals the dealer does not
    # match, exactly 2 (24/312)(96/311) x (1 - 2 (23/310)(95/309)) = 4.532% of rounds
    unmatched = 2 * 24 / 312 * 96 / 311 * (1 - 2 * 23 / 310 * 95 / 309)
    assert pays32.ev_per_hand - pays65.ev_per_hand == pytest.approx(0.3 * unmatched, rel=0.03)


def test_progress_is_reported_and_returning_false_cancels():
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return len(calls) < 2

    r = simulate(S17, 400_000, seed=1, chart=CHART, progress=progress, workers=1)
    assert r.cancelled
    assert calls[0][1] == 400_000 and calls[0][0] < calls[1][0]
    assert 0 < r.hands < 400_000


def test_a_set_cancel_event_stops_before_any_work():
    ev = threading.Event()
    ev.set()
    r = simulate(S17, 400_000, seed=1, chart=CHART, cancel=ev)
    assert r.cancelled and r.hands == 0


def test_ramp_text_and_mapping():
    assert parse_ramp("1:1,2:4,3:8,4:12") == {1: 1, 2: 4, 3: 8, 4: 12}
    assert parse_ramp({0: 2}) == {0: 2.0}
    assert parse_ramp(None) is None
    for bad in ("1-2", "a:b", "1.5:2", "2:0", ""):
        with pytest.raises(RulesError):
            parse_ramp(bad)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"seats": 8}, "seats"),
        ({"seats": 2, "seat": 3}, "seat"),
        ({"penetration": 1.2}, "penetration"),
        ({"strategy": "perfect"}, "strategy"),
        ({"count": "uston"}, "count system"),
        ({"rounding": "ceil"}, "rounding"),
        ({"wong_in": 1, "wong_out": 2}, "wong"),
        ({"wong_in": 1, "penetration": None}, "wonging"),
    ],
)
def test_bad_options_say_what_is_wrong(kwargs, match):
    with pytest.raises(RulesError, match=match):
        simulate(S17, 1000, chart=CHART, **kwargs)


def test_bad_hands_and_rules():
    with pytest.raises(RulesError, match="hands"):
        simulate(S17, 0, chart=CHART)
    with pytest.raises(RulesError):
        simulate("7Q S17", 100, chart=CHART)


def test_a_full_table_deep_in_one_deck_reshuffles_the_discards_mid_round():
    # 7 seats and a cut card at 90% of one deck run out of cards during rounds
    r = simulate(
        Rules.parse("1D S17 DAS"),
        100_000,
        seed=2,
        chart=CHART,
        seats=7,
        penetration=0.9,
        ramp="1:1,3:4",
    )
    assert r.hands == 100_000
    assert -0.03 < r.ev_per_hand < 0.05


@pytest.mark.exhaustive
def test_indices_for_rules_and_counts_without_a_published_table_are_generated():
    # Zen in a shoe game and Hi-Lo in double deck H17 have no published table here: Felt
    # computes the Illustrious 18 / Fab 4 hands from the exact engine, then simulates.
    zen = simulate(S17, 300_000, strategy="indices", count="zen", ramp={0: 1, 2: 4, 4: 8}, seed=1)
    dd = simulate("2D H17 DAS", 300_000, strategy="indices", ramp={0: 1, 2: 4, 4: 8}, seed=1)
    assert zen.hands == dd.hands == 300_000
    assert zen.average_bet > 1 and dd.average_bet > 1
