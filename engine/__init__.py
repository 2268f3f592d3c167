"""Felt's engine: pure computation and I/O for the trainer, no Streamlit below this line.

Subpackages: ``engine.cards`` (notation), ``engine.poker``, ``engine.blackjack``,
``engine.vision``, ``engine.drills``, ``engine.store``.
"""

from engine.errors import CardError, FeltError, ImageError, RangeError, RulesError, StoreError

__all__ = ["CardError", "FeltError", "ImageError", "RangeError", "RulesError", "StoreError"]
