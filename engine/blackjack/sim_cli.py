"""``python -m engine sim``: simulate a blackjack game with a count and bet ramp, print JSON.

    python -m engine sim --rules "6D S17 DAS LS" --count hilo --ramp "1:1,2:4,3:8,4:12" \\
        --hands 1e8 [--strategy indices] [--penetration 0.75 | --penetration none] \\
        [--seats 3 --seat 1] [--wong-in 1 --wong-out -1] [--bankroll 400] [--seed 1]

Money is in units of the minimum bet. ``--bankroll`` adds the risk of ruin by formula, for
a lifetime and for one session of ``--session-hands`` rounds.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from engine.blackjack.counting import SYSTEMS
from engine.blackjack.risk import risk_of_ruin
from engine.blackjack.rules import Rules
from engine.blackjack.simulate import ESTIMATES, ROUNDINGS, simulate
from engine.errors import RulesError

__all__ = ["add_arguments", "run"]


def _penetration(text: str) -> float | None:
    if text.strip().lower() in ("none", "0", "reshuffle", "csm"):
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"penetration must be a fraction such as 0.75 or 'none', got {text!r}"
        ) from None


def _hands(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"hands must be a number such as 1e6, got {text!r}"
        ) from None
    if not value >= 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"hands must be a positive whole number, got {text!r}")
    return int(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``sim`` command."""
    parser.add_argument("--rules", default="6D S17 DAS LS", help='e.g. "6D H17 DAS LS"')
    parser.add_argument("--hands", type=_hands, default=1_000_000, help="rounds to play (1e8)")
    parser.add_argument("--strategy", choices=("basic", "indices"), default="basic")
    parser.add_argument("--count", default="hilo", help=f"one of {', '.join(SYSTEMS)}")
    parser.add_argument("--ramp", default=None, help='count:units steps, "1:1,2:4,3:8"')
    parser.add_argument("--penetration", type=_penetration, default=0.75, help="or 'none'")
    parser.add_argument("--seats", type=int, default=1, help="players at the table (1-7)")
    parser.add_argument("--seat", type=int, default=1, help="our seat, 1 = first base")
    parser.add_argument("--burn", type=int, default=1, help="cards burned after a shuffle")
    parser.add_argument("--estimate", choices=tuple(ESTIMATES), default="exact")
    parser.add_argument("--rounding", choices=tuple(ROUNDINGS), default="floor")
    parser.add_argument("--wong-in", type=float, default=None)
    parser.add_argument("--wong-out", type=float, default=None)
    parser.add_argument("--session-hands", type=int, default=100)
    parser.add_argument("--bankroll", type=float, default=None, help="units, for risk of ruin")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None, help="threads (default: all cores)")
    parser.add_argument("--progress", action="store_true", help="show progress on stderr")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the simulation and return its JSON-able summary."""
    rules = Rules.parse(args.rules)
    progress = None
    if args.progress:

        def progress(done: int, total: int) -> None:
            print(f"\r{done / total:6.1%}", end="", file=sys.stderr, flush=True)

    res = simulate(
        rules,
        args.hands,
        strategy=args.strategy,
        count=args.count,
        ramp=args.ramp,
        penetration=args.penetration,
        seats=args.seats,
        seed=args.seed,
        progress=progress,
        seat=args.seat,
        burn=args.burn,
        estimate=args.estimate,
        rounding=args.rounding,
        wong_in=args.wong_in,
        wong_out=args.wong_out,
        session_hands=args.session_hands,
        workers=args.workers,
    )
    if args.progress:
        print(file=sys.stderr)
    out: dict[str, Any] = {
        "rules": str(rules),
        "strategy": args.strategy,
        "count": args.count,
        "ramp": args.ramp,
        "penetration": args.penetration,
        "seats": args.seats,
        "seat": args.seat,
        **res.as_dict(),
    }
    if args.bankroll is not None:
        if args.bankroll <= 0:
            raise RulesError(f"bankroll must be positive units, got {args.bankroll:g}")
        out["risk_of_ruin"] = {
            "bankroll": args.bankroll,
            "lifetime": risk_of_ruin(res.ev_per_hand, res.sd_per_hand, args.bankroll),
            "per_session": risk_of_ruin(
                res.ev_per_hand, res.sd_per_hand, args.bankroll, hands=max(args.session_hands, 1)
            ),
            "method": "diffusion formula with the simulated ev and sd",
        }
    return out
