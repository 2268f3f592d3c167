"""Whole number cards and aces are read from their pips; covered cards and courts are not."""

import json
import pathlib

import cv2
import numpy as np

from engine.vision import read_table
from engine.vision.pips import read_pips

HERE = pathlib.Path(__file__).resolve().parent
SCENES = json.loads((HERE / "scenes.json").read_text())


def test_the_whole_number_cards_of_a_small_board_are_read_from_their_pips():
    # scene_small_indices.jpg: cards 68 px tall with ~7 px index ranks; the board's four
    # number cards are read from their pips with boxes on the cards (the generator drew the
    # Jc at x 933-978, y 422-490, and the rest 49 px apart to its right); the Jc is a court
    # card, and the hero's Ad and 4c overlap each other
    reads = {p.card: p for p in read_pips(cv2.imread(str(HERE / "scene_small_indices.jpg")))}
    assert sorted(reads) == ["3d", "7s", "8c", "9c"]
    for i, card in enumerate(["9c", "8c", "3d", "7s"], start=1):
        x, y, w, h = reads[card].box
        assert abs(x - (933 + 49 * i)) <= 4 and abs(y - 422) <= 4 and 40 <= w <= 48
        assert 62 <= h <= 70 and not reads[card].across
        assert 0.5 <= reads[card].confidence <= 0.85


def test_an_ace_is_read_from_its_lone_pip_and_fanned_hole_cards_are_not_read():
    reads = sorted(p.card for p in read_pips(cv2.imread(str(HERE / "scene_poker.jpg"))))
    assert reads == ["5d", "7d", "7h", "As"]  # the hero's 9h 9s overlap: left to the index


def test_a_card_lying_across_the_image_is_read_turned():
    img = cv2.imread(str(HERE / "scene_small_indices.jpg"))
    turned = np.ascontiguousarray(np.rot90(img))
    reads = {p.card: p for p in read_pips(turned)}
    assert sorted(reads) == ["3d", "7s", "8c", "9c"]
    assert all(p.across and p.box[2] > p.box[3] for p in reads.values())


def test_blank_paper_and_an_empty_table_give_no_card():
    table = np.full((300, 400, 3), (40, 110, 30), np.uint8)
    assert read_pips(table) == []
    cv2.rectangle(table, (100, 80), (160, 170), (245, 245, 245), -1)  # a blank card
    assert read_pips(table) == []


def test_pips_give_the_true_box_of_a_card_read_at_its_index_too():
    # scene_poker.jpg: the board's index boxes are estimates; the pips give the card itself
    path = HERE / "scene_poker.jpg"
    pips = {p.card: p.box for p in read_pips(cv2.imread(str(path)))}
    boxes = {c.card: c.box for c in read_table(path).cards}
    assert all(boxes[card] == box for card, box in pips.items())
