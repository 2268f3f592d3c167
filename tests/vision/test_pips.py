"""Whole number cards and aces are read from their pips; covered cards and courts are not."""

import json
import pathlib

import cv2
import numpy as np

from engine.vision import read_table
from engine.vision.pips import read_pips


def read_pips_cards(bgr):
    return [f for f in read_pips(bgr) if f.card is not None]


HERE = pathlib.Path(__file__).resolve().parent
SCENES = json.loads((HERE / "scenes.json").read_text())


def test_the_whole_number_cards_of_a_small_board_are_read_from_their_pips():
    # scene_small_indices.jpg: cards 68 px tall with ~7 px index ranks; the board's four
    # number cards are read from their pips with boxes on the cards (the generator drew the
    # Jc at x 933-978, y 422-490, and the rest 49 px apart to its right); the Jc is a court
    # card, and the hero's Ad and 4c overlap each other
    reads = {p.card: p for p in read_pips_cards(cv2.imread(str(HERE / "scene_small_indices.jpg")))}
    assert sorted(reads) == ["3d", "7s", "8c", "9c"]
    for i, card in enumerate(["9c", "8c", "3d", "7s"], start=1):
        x, y, w, h = reads[card].box
        assert abs(x - (933 + 49 * i)) <= 4 and abs(y - 422) <= 4 and 40 <= w <= 48
        assert 62 <= h <= 70 and not reads[card].across
        assert 0.5 <= reads[card].confidence <= 0.85


def test_an_ace_is_read_from_its_lone_pip_and_fanned_hole_cards_are_not_read():
    reads = sorted(p.card for p in read_pips_cards(cv2.imread(str(HERE / "scene_poker.jpg"))))
    assert reads == ["5d", "7d", "7h", "As"]  # the hero's 9h 9s overlap: left to the index


def test_a_card_lying_across_the_image_is_read_turned():
    img = cv2.imread(str(HERE / "scene_small_indices.jpg"))
    turned = np.ascontiguousarray(np.rot90(img))
    reads = {p.card: p for p in read_pips_cards(turned)}
    assert sorted(reads) == ["3d", "7s", "8c", "9c"]
    assert all(p.across and p.box[2] > p.box[3] for p in reads.values())


def test_blank_paper_and_an_empty_table_give_no_card():
    table = np.full((300, 400, 3), (40, 110, 30), np.uint8)
    assert read_pips(table) == []
    cv2.rectangle(table, (100, 80), (160, 170), (245, 245, 245), -1)  # a blank card
    assert [(f.card, f.box) for f in read_pips(table)] == [(None, (100, 80, 61, 91))]


def test_pips_give_the_true_box_of_a_card_read_at_its_index_too():
    # scene_poker.jpg: the board's index boxes are estimates; the pips give the card itself
    path = HERE / "scene_poker.jpg"
    pips = {p.card: p.box for p in read_pips_cards(cv2.imread(str(path)))}
    boxes = {c.card: c.box for c in read_table(path).cards}
    assert all(boxes[card] == box for card, box in pips.items())


def test_index_read_boxes_take_the_size_of_the_tables_whole_faces():
    # scene_poker.jpg: the generator drew the hero's 9h at x 905-1000, y 431-559 and the 9s
    # at x 954-1049, y 432-560 (dev_sample/0044 labels); their boxes come from the index,
    # and are redrawn at the size the board's whole faces show (an index-only estimate was
    # 150 px tall)
    boxes = {c.card: c.box for c in read_table(HERE / "scene_poker.jpg").cards}
    for card, (x0, y0, x1, y1) in {
        "9h": (905, 431, 1000, 559),
        "9s": (954, 432, 1049, 560),
    }.items():
        x, y, w, h = boxes[card]
        assert abs(x - x0) <= 6 and abs(y - y0) <= 6
        assert abs(x + w - x1) <= 8 and abs(y + h - y1) <= 8


def test_a_courts_framed_art_is_no_aces_pip():
    # court_framed_art.jpg: a jack of spades 202 px tall whose art sits in a frame (crop of
    # a generated scene; Byron Knoll's public-domain card faces): frame and art make one
    # large central mark, which once read as the lone pip of the ace of spades
    faces = read_pips(cv2.imread(str(HERE / "court_framed_art.jpg")))
    assert [(f.card, f.box[2:]) for f in faces] == [(None, (139, 202))]
