"""Blackjack: rules, shoe, exact action values, strategy tables, counting and simulation.

>>> from engine.blackjack import Rules, action_values
>>> v = action_values("T6", "T", Rules.parse("6D S17 DAS LS"))
>>> max(v, key=v.get)
'surrender'
"""

from engine.blackjack.dealer import dealer_probabilities
from engine.blackjack.indices import index_play
from engine.blackjack.rules import PRESETS, Rules
from engine.blackjack.shoe import full_shoe, remove_cards, validate_shoe
from engine.blackjack.simulate import simulate
from engine.blackjack.strategy import basic_strategy, chart_action, house_edge
from engine.blackjack.values import action_values, best_action, insurance_values

__all__ = [
    "PRESETS",
    "Rules",
    "action_values",
    "basic_strategy",
    "best_action",
    "chart_action",
    "dealer_probabilities",
    "full_shoe",
    "house_edge",
    "index_play",
    "insurance_values",
    "remove_cards",
    "simulate",
    "validate_shoe",
]
