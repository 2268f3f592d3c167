"""Read the cards in an uploaded table image (screenshot or photo) and assign them roles.

>>> import numpy as np
>>> read_table(np.zeros((64, 64, 3), np.uint8)).cards
[]
"""

from engine.vision.decode import decode_image
from engine.vision.read import DetectedCard, TableRead, read_table

__all__ = ["DetectedCard", "TableRead", "decode_image", "read_table"]
