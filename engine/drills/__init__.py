"""Drill question generators and graders: pure functions the pages render.

Modules: ``progress`` (what to practise next), ``blackjack`` (strategy and deviation spots
from a live shoe), ``counting`` (flashed cards, running and true count questions),
``poker`` (equity estimates, pot odds, heads-up push/fold).
"""
