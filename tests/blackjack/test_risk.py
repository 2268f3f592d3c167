"""Risk of ruin: the diffusion formulas and the simulator agree with each other and the math."""

import json
import math
import pathlib

import pytest

from engine.blackjack.risk import bankroll_for_risk, risk_of_ruin, simulated_risk_of_ruin
from engine.blackjack.rules import Rules
from engine.errors import RulesError

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "sim_reference.json").read_text())
CHART = DATA["charts"]["6D_S17_DAS_LS"]


def test_lifetime_risk_is_the_exponential_formula():
    # Blackjack Attack's formula: exp(-2 * ev * B / var); 1% edge, sd 1.15, 200 units.
    assert risk_of_ruin(0.01, 1.15, 200) == pytest.approx(math.exp(-2 * 0.01 * 200 / 1.15**2))
    assert risk_of_ruin(0.0, 1.15, 200) == 1.0
    assert risk_of_ruin(-0.01, 1.15, 200) == 1.0


def test_bankroll_for_a_risk_inverts_the_formula():
    for risk in (0.01, 0.05, 0.135, 0.5):
        b = bankroll_for_risk(0.012, 1.3, risk)
        assert risk_of_ruin(0.012, 1.3, b) == pytest.approx(risk)


def test_trip_risk_without_edge_is_the_reflection_principle():
    # zero drift: P(min <= -B within N) = 2 Phi(-B / (sd sqrt N))
    b, sd, n = 50, 1.15, 2000
    expected = math.erfc(b / (sd * math.sqrt(n)) / math.sqrt(2))
    assert risk_of_ruin(0.0, sd, b, hands=n) == pytest.approx(expected)


def test_trip_risk_grows_with_the_trip_towards_the_lifetime_risk():
    risks = [risk_of_ruin(0.01, 1.15, 100, hands=n) for n in (100, 1000, 10_000, 10**6)]
    assert risks == sorted(risks)
    assert risks[-1] == pytest.approx(risk_of_ruin(0.01, 1.15, 100), rel=1e-6)


def test_losing_game_trip_risk_tends_to_one():
    assert risk_of_ruin(-0.005, 1.15, 50, hands=10**7) == pytest.approx(1.0)
    assert risk_of_ruin(-0.005, 1.15, 5000, hands=100) < 1e-12


def test_bad_inputs_are_named():
    with pytest.raises(RulesError, match="sd"):
        risk_of_ruin(0.01, 0, 100)
    with pytest.raises(RulesError, match="bankroll"):
        risk_of_ruin(0.01, 1.1, -5)
    with pytest.raises(RulesError, match="edge"):
        bankroll_for_risk(-0.01, 1.1, 0.05)
    with pytest.raises(RulesError, match="risk"):
        bankroll_for_risk(0.01, 1.1, 1.5)


def test_simulated_trip_risk_matches_the_formula():
    # Flat basic strategy, trips of 1000 rounds with 40 units: risk about 30%.
    r = simulated_risk_of_ruin(
        Rules.parse("6D S17 DAS LS"), 40, 1000, sessions=1500, seed=3, chart=CHART
    )
    assert r.sessions == 1500
    assert 0.2 < r.risk < 0.45
    # discrete rounds cross a little less often than continuous Brownian motion
    assert abs(r.risk - r.formula) < 4 * r.stderr + 0.02
    json.dumps(r.as_dict())
