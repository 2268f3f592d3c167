"""Deck files map to the right cards, and small client cards become 440 px faces."""

import numpy as np
import pytest

from tests.vision.scripts import load_script


def _render():
    return load_script("render_card_faces")


def test_letter_and_word_patterns_name_each_card():
    files = _render().card_files("{R}{S}.svg")
    assert len(files) == 52
    assert files["As"] == "AS.svg" and files["Td"] == "10D.svg" and files["Kh"] == "KH.svg"
    files = _render().card_files("card_{S}{T}.png")
    assert files["Tc"] == "card_CT.png" and files["Qd"] == "card_DQ.png"
    files = _render().card_files("{num:02d}{s}.gif")
    assert files["As"] == "01s.gif" and files["Th"] == "10h.gif" and files["Kc"] == "13c.gif"


def test_a_deck_numbered_in_its_own_order_is_read_in_that_order():
    # PokerTH: 0.png is the 2 of diamonds, then up to the ace, then hearts, spades, clubs
    files = _render().card_files("{i}.png", suit_order="dhsc", rank_order="23456789TJQKA", first=0)
    assert files["2d"] == "0.png" and files["Ad"] == "12.png"
    assert files["2h"] == "13.png" and files["Ks"] == "37.png" and files["Ac"] == "51.png"


def test_courts_can_come_from_their_own_files():
    files = _render().card_files("{word}_of_{suit}s.png", court_pattern="{word}_of_{suit}s2.png")
    assert files["Ac"] == "ace_of_clubs.png" and files["Th"] == "10_of_hearts.png"
    assert files["Jc"] == "jack_of_clubs2.png" and files["Ks"] == "king_of_spades2.png"


def test_a_pattern_that_cannot_tell_cards_apart_is_refused():
    with pytest.raises(ValueError):
        _render().card_files("{suit}.png")


def test_a_small_opaque_card_becomes_a_440_px_rgba_face_cropped_to_the_card():
    img = np.zeros((90, 60, 3), np.uint8)  # a game client's card on a black margin
    img[5:81, 6:54] = 240
    img[10:20, 10:16] = (0, 0, 200)  # a red index mark
    out = _render().face(img)
    assert out.shape == (440, round(60 * 440 / 90), 4)
    assert (out[:, :, 3] == 255).all()  # no alpha in the source: taken as opaque
    small = np.zeros((90, 60, 4), np.uint8)  # the same card with a transparent margin
    small[5:81, 6:54] = (240, 240, 240, 255)
    out = _render().face(small)
    assert out.shape == (440, round(48 * 440 / 76), 4)
    assert out[:, :, 3].min() > 200 and abs(int(out[220, 100, 0]) - 240) <= 2
