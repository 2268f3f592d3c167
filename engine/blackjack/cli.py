"""``python -m engine bj``: exact values of a blackjack decision, as JSON.

    python -m engine bj T6 T --rules "6D H17 DAS LS"
    python -m engine bj 8,8 A --rules "1D S17 DAS" --shoe 4,4,4,4,4,4,4,4,4,16
    python -m engine bj A7 9 --rules vegas_strip --chart

Prints ``{"player", "dealer", "rules", "shoe", "values", "best", "insurance"}``: every
allowed action's expected net win (units of the initial bet; with a peek and an A or T up,
conditional on no dealer blackjack) and the best action. ``--chart`` adds the basic
strategy chart's code for the hand under the same rules.
"""

from __future__ import annotations

import argparse

from engine.blackjack.rules import Rules
from engine.blackjack.shoe import RANK_LABELS, full_shoe, validate_shoe
from engine.blackjack.values import action_values, best_action, hand_total, insurance_values
from engine.cards import parse_blackjack_hand, parse_blackjack_rank

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``bj`` command."""
    parser.add_argument("player", help="the player's cards, e.g. T6, 'A,7', 8h8d, 2334")
    parser.add_argument("dealer", help="the dealer's up card: A, 2-9, T/J/Q/K")
    parser.add_argument(
        "--rules",
        default=str(Rules()),
        help="rules as short text ('6D H17 DAS LS', '1D S17 NDAS 6:5 ENHC') or a preset name",
    )
    parser.add_argument(
        "--shoe",
        help="unseen cards before the deal as 10 counts for A,2,...,9,T (default: full shoe)",
    )
    parser.add_argument(
        "--chart", action="store_true", help="also give the basic strategy chart's code"
    )


def run(args: argparse.Namespace) -> dict[str, object]:
    """Compute the values the arguments describe; JSON-able result.

    >>> ns = argparse.Namespace(player="T6", dealer="T", rules="6D S17 DAS LS", shoe=None,
    ...                         chart=False)
    >>> out = run(ns)
    >>> out["best"], round(out["values"]["hit"], 6)
    ('surrender', -0.534676)
    """
    rules = Rules.parse(args.rules)
    shoe = full_shoe(rules.decks) if args.shoe is None else validate_shoe(args.shoe)
    cards = parse_blackjack_hand(args.player)
    up = parse_blackjack_rank(args.dealer)
    values = action_values(cards, up, rules, shoe)
    out: dict[str, object] = {
        "player": "".join(RANK_LABELS[c - 1] for c in cards),
        "dealer": RANK_LABELS[up - 1],
        "rules": str(rules),
        "shoe": list(shoe),
        "values": values,
        "best": best_action(values),
    }
    if up == 1:
        out["insurance"] = insurance_values(cards, rules, shoe)
    if args.chart:
        out["chart"] = _chart_code(cards, up, rules)
    return out


def _chart_code(cards: list[int], up: int, rules: Rules) -> str:
    from engine.blackjack.strategy import basic_strategy

    chart = basic_strategy(rules)
    total, soft = hand_total(cards)
    if len(cards) == 2 and cards[0] == cards[1]:
        label = "A" if cards[0] == 1 else RANK_LABELS[cards[0] - 1]
        row = f"pair {label},{label}"
    elif total < 5:
        return "H"
    else:
        row = f"{'soft' if soft else 'hard'} {total}"
    return str(chart.loc[row, RANK_LABELS[up - 1] if up != 1 else "A"])
