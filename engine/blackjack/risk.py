"""Risk of ruin: the chance a bankroll is lost before it grows, by formula and by simulation.

The formulas treat the running result as Brownian motion with drift ``ev`` and standard
deviation ``sd`` per round (the diffusion approximation every counting text uses, e.g.
Schlesinger's Blackjack Attack ch. 8):

* lifetime (no end): ``RoR = exp(-2 ev B / sd^2)`` for ev > 0, else 1;
* over ``hands`` rounds (a trip): the first-passage probability of the drifting walk,
  ``Phi((-B - ev N)/(sd sqrt N)) + exp(-2 ev B / sd^2) Phi((-B + ev N)/(sd sqrt N))``.

:func:`simulated_risk_of_ruin` measures the finite-horizon risk directly: it simulates
sessions of ``hands`` rounds and counts those whose running result ever reached ``-B``.

>>> round(risk_of_ruin(0.01, 1.15, 200), 4)  # 1% edge, 200 units, played forever
0.0486
>>> round(bankroll_for_risk(0.01, 1.15, 0.05), 1)
198.1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from engine.errors import RulesError

__all__ = [
    "RiskResult",
    "bankroll_for_risk",
    "risk_of_ruin",
    "simulated_risk_of_ruin",
]


def _check(ev: float, sd: float, bankroll: float) -> None:
    for name, v in (("ev", ev), ("sd", sd), ("bankroll", bankroll)):
        if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
            raise RulesError(f"{name} must be a finite number, got {v!r}")
    if sd <= 0:
        raise RulesError(f"sd must be positive, got {sd!r}")
    if bankroll <= 0:
        raise RulesError(
            f"bankroll must be positive (in units of the minimum bet), got {bankroll!r}"
        )


def _phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def risk_of_ruin(ev: float, sd: float, bankroll: float, hands: float | None = None) -> float:
    """Chance of losing ``bankroll`` (same units as ``ev``/``sd``, per round).

    ``hands=None``: ever (a lifetime); else within ``hands`` rounds.

    >>> risk_of_ruin(-0.005, 1.15, 100)
    1.0
    >>> round(risk_of_ruin(0.0, 1.15, 100, hands=10_000), 4)  # no edge: 2 Phi(-B / sd sqrt N)
    0.3845
    """
    _check(ev, sd, bankroll)
    var = sd * sd
    if hands is None:
        return 1.0 if ev <= 0 else math.exp(-2 * ev * bankroll / var)
    if not hands > 0:
        raise RulesError(f"hands must be positive, got {hands!r}")
    root = sd * math.sqrt(hands)
    first = _phi((-bankroll - ev * hands) / root)
    expo = -2 * ev * bankroll / var
    if expo > 700:  # losing game, huge bankroll: the second term still tends to its limit
        second = math.exp(expo + math.log(max(_phi((-bankroll + ev * hands) / root), 1e-300)))
    else:
        second = math.exp(expo) * _phi((-bankroll + ev * hands) / root)
    return min(1.0, first + second)


def bankroll_for_risk(ev: float, sd: float, risk: float) -> float:
    """Bankroll (units) whose lifetime risk of ruin is ``risk``: ``-sd^2 ln(risk) / (2 ev)``.

    >>> round(bankroll_for_risk(0.02, 1.2, 0.135), 1)  # 13.5% risk: the "one Kelly" bankroll
    72.1
    """
    if not 0 < risk < 1:
        raise RulesError(f"risk must be between 0 and 1, got {risk!r}")
    _check(ev, sd, 1.0)
    if ev <= 0:
        raise RulesError("no bankroll is safe in a game without an edge (ev <= 0)")
    return -sd * sd * math.log(risk) / (2 * ev)


@dataclass(frozen=True)
class RiskResult:
    """Simulated risk of losing ``bankroll`` within ``hands`` rounds, with the formula's
    figure for the same game (its ev and sd measured in the same simulation)."""

    bankroll: float
    hands: int
    sessions: int
    ruined: int
    risk: float
    stderr: float
    formula: float
    ev_per_hand: float
    sd_per_hand: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-able."""
        return dict(self.__dict__)


def simulated_risk_of_ruin(
    rules: Any, bankroll: float, hands: int, *, sessions: int = 2000, **sim_kwargs: Any
) -> RiskResult:
    """Simulate ``sessions`` independent trips of ``hands`` rounds starting with ``bankroll``
    units; the risk is the share of trips whose running result reached ``-bankroll``.

    ``sim_kwargs`` go to :func:`engine.blackjack.simulate.simulate` (ramp, count, strategy,
    penetration, seed, chart ...). Trips run back to back through the same shoes, as a player
    would play them.
    """
    from engine.blackjack.simulate import simulate

    _check(0.0, 1.0, bankroll)
    if isinstance(hands, bool) or not isinstance(hands, int) or hands < 1:
        raise RulesError(f"hands per trip must be a positive whole number, got {hands!r}")
    if isinstance(sessions, bool) or not isinstance(sessions, int) or sessions < 1:
        raise RulesError(f"sessions must be a positive whole number, got {sessions!r}")
    sim_kwargs.pop("session_hands", None)
    res = simulate(rules, hands * sessions, session_hands=hands, **sim_kwargs)
    if res.sessions is None:
        raise RulesError("the simulation was cancelled before one trip finished")
    lows = res.sessions.lows
    ruined = int((lows <= -bankroll).sum())
    n = int(lows.size)
    p = ruined / n
    return RiskResult(
        bankroll=float(bankroll),
        hands=hands,
        sessions=n,
        ruined=ruined,
        risk=p,
        stderr=math.sqrt(p * (1 - p) / n),
        formula=risk_of_ruin(res.ev_per_hand, res.sd_per_hand, bankroll, hands),
        ev_per_hand=res.ev_per_hand,
        sd_per_hand=res.sd_per_hand,
    )
