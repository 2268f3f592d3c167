"""One exception root for everything Felt raises on purpose.

Callers catch at the level they care about: ``FeltError`` for "show the message to the
user", or the specific class. The input-validation errors are also ``ValueError``s.
"""

from __future__ import annotations

__all__ = ["CardError", "FeltError", "ImageError", "RangeError", "RulesError", "StoreError"]


class FeltError(Exception):
    """Root of Felt's own errors; the message is meant for a person."""


class CardError(FeltError, ValueError):
    """A card, hand or board could not be parsed or is impossible (duplicates, too many)."""


class RangeError(FeltError, ValueError):
    """A poker range could not be parsed."""


class RulesError(FeltError, ValueError):
    """A blackjack rule set or shoe is invalid."""


class ImageError(FeltError, ValueError):
    """An uploaded image cannot be decoded safely."""


class StoreError(FeltError):
    """The database could not be read or written (locked, missing, read-only)."""
