"""``python -m engine equity``: all-in equity of hands or ranges, as JSON.

    python -m engine equity AhKh QsQd --board 2c7d9h
    python -m engine equity "QQ+, AKs" random --trials 200000 --seed 7
    python -m engine equity AhKh QsQd --dead QcQh --exact

Prints ``{"players", "board", "dead", "equity", "win", "tie", "exact", "samples",
"stderr"}`` with one entry per player in the lists.
"""

from __future__ import annotations

import argparse

from engine.cards import format_cards, parse_cards
from engine.poker.equity import equity

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``equity`` command."""
    parser.add_argument(
        "players", nargs="+", help="2 to 9 hands or ranges: AhKh, 'QQ+, AKs', random"
    )
    parser.add_argument("--board", default="", help="0 to 5 board cards, e.g. 2c7d9h")
    parser.add_argument("--dead", default="", help="cards known to be out of play")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--exact", action="store_true", help="enumerate every runout (default when cheap)"
    )
    mode.add_argument("--trials", type=int, help="Monte Carlo with this many trials")
    parser.add_argument("--seed", type=int, help="seed for Monte Carlo (repeatable results)")


def run(args: argparse.Namespace) -> dict[str, object]:
    """Compute the equity the arguments describe; JSON-able result.

    >>> ns = argparse.Namespace(players=["AhKh", "QsQd"], board="Qh7h2c", dead="",
    ...                         exact=False, trials=None, seed=None)
    >>> out = run(ns)
    >>> out["exact"], out["samples"], round(out["equity"][0], 4)
    (True, 990, 0.2556)
    """
    if args.trials is not None:
        result = equity(
            args.players, args.board, args.dead, exact=False, trials=args.trials, seed=args.seed
        )
    else:
        result = equity(
            args.players, args.board, args.dead, exact=True if args.exact else None, seed=args.seed
        )
    return {
        "players": list(args.players),
        "board": format_cards(parse_cards(args.board), sep=""),
        "dead": format_cards(parse_cards(args.dead), sep=""),
        **result.to_dict(),
    }
