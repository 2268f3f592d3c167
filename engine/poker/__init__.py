"""Texas Hold'em: hand evaluation, ranges, equity (exact and Monte Carlo), pot odds.

>>> from engine.poker import equity, evaluate, parse_range
>>> evaluate("AhKhQhJhTh"), len(parse_range("QQ+"))
(7462, 18)
"""

from engine.poker.equity import EquityResult, equity
from engine.poker.evaluator import CATEGORIES, category, category_name, evaluate, evaluate_batch
from engine.poker.ranges import Range, parse_range

__all__ = [
    "CATEGORIES",
    "EquityResult",
    "Range",
    "category",
    "category_name",
    "equity",
    "evaluate",
    "evaluate_batch",
    "parse_range",
]
