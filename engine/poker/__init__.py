"""Texas Hold'em: hand evaluation, ranges, equity (exact and Monte Carlo), pot odds.

>>> from engine.poker import equity, evaluate, parse_range
>>> evaluate("AhKhQhJhTh"), len(parse_range("QQ+"))
(7462, 18)
"""

from engine.poker.equity import EquityResult, equity
from engine.poker.evaluator import CATEGORIES, category, category_name, evaluate, evaluate_batch
from engine.poker.odds import (
    HitChance,
    OddsError,
    call_ev,
    equity_needed,
    hit_probability,
    outs,
    pot_odds,
    pot_odds_ratio,
    rule_of_2_and_4,
)
from engine.poker.preflop import equity_vs_random, hand_classes_by_strength
from engine.poker.ranges import Range, class_names, from_grid, parse_range, top_range

__all__ = [
    "CATEGORIES",
    "EquityResult",
    "HitChance",
    "OddsError",
    "Range",
    "call_ev",
    "category",
    "category_name",
    "class_names",
    "equity",
    "equity_needed",
    "equity_vs_random",
    "evaluate",
    "evaluate_batch",
    "from_grid",
    "hand_classes_by_strength",
    "hit_probability",
    "outs",
    "parse_range",
    "pot_odds",
    "pot_odds_ratio",
    "rule_of_2_and_4",
    "top_range",
]
