"""Known answers: synthetic table scenes (copied from the development sample, labels by the
scene generator) are read card for card and role for role."""

import json
import pathlib

import cv2
import numpy as np
import pytest

from engine.errors import ImageError
from engine.vision import DetectedCard, TableRead, read_table

HERE = pathlib.Path(__file__).resolve().parent
SCENES = json.loads((HERE / "scenes.json").read_text())


@pytest.mark.parametrize("name", sorted(SCENES))
def test_generated_scene_is_read_exactly_with_its_roles(name):
    truth = SCENES[name]
    result = read_table(HERE / name)
    assert sorted(c.card for c in result.cards) == sorted(truth["cards"])
    assert result.game == truth["game"]
    for role, cards in truth["roles"].items():
        assert sorted(result.roles[role]) == sorted(cards), role


def test_bytes_path_and_array_inputs_agree():
    path = HERE / "scene_blackjack.jpg"
    by_path = read_table(path)
    by_bytes = read_table(path.read_bytes())
    by_array = read_table(cv2.imread(str(path)))
    assert by_path == by_bytes == by_array


def test_a_forced_game_uses_its_role_names():
    result = read_table(HERE / "scene_blackjack.jpg", game="poker")
    assert result.game == "poker" and set(result.roles) == {"hero", "board", "others"}


def test_a_quarter_turned_screenshot_is_read_the_same():
    img = cv2.imread(str(HERE / "scene_blackjack.jpg"))
    turned = read_table(cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE))
    truth = SCENES["scene_blackjack.jpg"]
    assert sorted(c.card for c in turned.cards) == sorted(truth["cards"])
    assert turned.game == "blackjack"


def test_results_are_frozen_and_have_confidences():
    result = read_table(HERE / "scene_poker.jpg")
    assert isinstance(result, TableRead)
    for card in result.cards:
        assert isinstance(card, DetectedCard) and 0 < card.confidence <= 1
        with pytest.raises(AttributeError):
            card.card = "As"


def test_an_empty_table_has_no_cards_and_no_game():
    felt = np.zeros((300, 400, 3), np.uint8)
    felt[:] = (40, 110, 30)
    assert read_table(felt) == TableRead([], None, {})


def test_bad_game_and_bad_image_are_value_errors():
    with pytest.raises(ValueError, match="game must be"):
        read_table(HERE / "scene_poker.jpg", game="baccarat")
    with pytest.raises(ImageError):
        read_table(b"not an image")


def test_small_indices_need_the_enlarged_second_pass():
    # scene_small_indices.jpg (read exactly above): cards 68 px tall on a 1920x1080 table,
    # rank glyphs of ~7 px over ~4 px suits; read once at the image's own size, only the
    # two hole cards pair up, and the five board cards come from the enlarged pass
    from engine.vision.read import _read_cards

    path = HERE / "scene_small_indices.jpg"
    assert sorted(c.card for c in _read_cards(cv2.imread(str(path)))) == ["4c", "Ad"]
    board = [c for c in read_table(path).cards if c.card in SCENES[path.name]["roles"]["board"]]
    assert len(board) == 5
    # boxes are in the original image's pixels: the Jc's box centre lies on its outline from
    # the generator, x 933-978, y 422-490
    x, y, w, h = next(c.box for c in board if c.card == "Jc")
    assert 933 <= x + w / 2 <= 978 and 422 <= y + h / 2 <= 490


def test_paper_left_without_a_card_is_read_again_enlarged():
    # scene_pale_hole_card.jpg (read exactly above): two hole cards side by side, indices of
    # readable size (~11 px), JPEG quality 45; the first pass pairs only the 9s, and the
    # 7h comes from enlarging the paper patch that had no card in it
    from engine.vision.read import _read_cards

    path = HERE / "scene_pale_hole_card.jpg"
    assert [c.card for c in _read_cards(cv2.imread(str(path)))] == ["9s"]
    assert sorted(read_table(path).roles["hero"]) == ["7h", "9s"]


def test_enlarged_crops_are_sharpened_to_bring_back_faded_indices():
    # pale_index.jpg: two cards of a 4-colour deck 135 px tall, scaled down to half and up
    # again (crop of a development scene); enlarged as they are, the faded strokes of both
    # indices fall under the ink threshold; sharpened after enlarging, both are read
    from engine.vision.read import _SHARPEN, _UPSCALE, _enlarge, _read_cards

    img = cv2.imread(str(HERE / "pale_index.jpg"))
    big = cv2.resize(img, None, fx=_UPSCALE, fy=_UPSCALE, interpolation=cv2.INTER_CUBIC)
    assert _read_cards(big) == []
    assert sorted(c.card for c in _read_cards(_enlarge(img, *_SHARPEN))) == ["2s", "5d"]


def test_narrow_paper_is_read_enlarged_whatever_the_first_pass_found():
    # the short side of a patch of paper bounds its cards' size: a row of 70 px cards is
    # read enlarged even when a misread first pass took its indices for large ones
    from engine.vision.read import _small_paper

    assert _small_paper((100, 200, 420, 302))  # a row of cards ~70 px tall
    assert _small_paper((0, 0, 80, 110))  # a lone card ~70 px tall
    assert not _small_paper((100, 200, 700, 380))  # a row of cards ~150 px tall


def test_jumbo_suit_beside_a_tilted_rank_pairs_but_a_larger_pip_does_not():
    # jumbo-index decks print the suit right of the rank; on a hole card tilted ~12 degrees
    # it sits half a rank lower (dev scene: rank 43 px, suit 38 px, 97 px right, 20 px down)
    from engine.vision.glyphs import Token
    from engine.vision.read import _pair_geometry

    rank = Token(736, 489, 39, 43, 800, (1,))
    assert _pair_geometry(rank, Token(834, 512, 38, 38, 700, (2,)), 0) > 0
    # the same place holding a mark larger than the rank is a pip, not the index suit
    assert _pair_geometry(rank, Token(830, 500, 46, 54, 900, (3,)), 0) == 0
    # and a level suit beyond the tilt allowance is not this rank's
    assert _pair_geometry(rank, Token(834, 560, 38, 38, 700, (4,)), 0) == 0


def test_a_pip_toward_the_middle_of_a_corner_rank_can_stand_for_its_hidden_suit():
    from engine.vision.glyphs import Token
    from engine.vision.read import _in_corner, _pip_geometry

    rank = Token(20, 20, 12, 16, 100, (1,))
    pip = Token(45, 60, 20, 22, 300, (2,))  # below and right of it, a little larger
    assert _pip_geometry(rank, pip, 0)
    assert not _pip_geometry(rank, Token(0, 0, 20, 22, 300, (3,)), 0)  # above-left: not its card
    assert not _pip_geometry(rank, Token(45, 60, 6, 6, 30, (4,)), 0)  # too small for a pip
    # the card's paper starts at (10, 10): the rank is in its corner; one further in is not
    white = np.zeros((200, 200), bool)
    white[10:150, 10:110] = True
    assert _in_corner(rank, 0, white)
    assert not _in_corner(Token(60, 70, 12, 16, 100, (5,)), 0, white)


def test_an_index_twice_or_a_third_the_tables_size_is_not_a_card_in_play():
    from engine.vision.read import _of_table_size

    def card(name: str, h: int) -> DetectedCard:
        return DetectedCard(name, (0, 0, int(h * 0.7), h), 0.9, 0)

    table = [card("Ah", 100), card("Kd", 104), card("2c", 96), card("7s", 130)]  # hero larger
    odd = [card("4c", 220), card("Js", 35)]  # a chip's print, a lobby icon
    assert _of_table_size(table + odd) == table
    assert _of_table_size(odd[:1] + table[:1]) == odd[:1] + table[:1]  # two: no table size


def test_two_suits_side_by_side_are_read_alone_but_the_pieces_of_a_ten_are_not():
    # small clients print the hole cards' indices next to each other: two clubs side by
    # side merge like the "1" and "0" of a ten, and read as one mark they are no suit
    from engine.vision.classify import CLASSES
    from engine.vision.glyphs import Token
    from engine.vision.read import _unmerge

    club, ten, other = CLASSES.index("c"), CLASSES.index("T"), CLASSES.index("other")
    tokens = [
        Token(0, 0, 40, 17, 300, (1, 2), (0, 2)),
        Token(0, 0, 17, 17, 150, (1,), (1, 3)),
        Token(23, 0, 17, 17, 150, (2,), (1, 3)),
    ]
    probs = np.zeros((3, 4, len(CLASSES)), np.float32)
    probs[0, :, club] = 0.9  # the pair "reads" as a spade or club: no suit is two marks
    probs[0, :, other] = 0.1
    probs[1:, :, club] = 1.0
    allowed = np.array([[k in t.turns for k in range(4)] for t in tokens])
    _unmerge(tokens, probs, allowed)
    assert probs[0, :, club].max() == 0
    assert allowed[1:].all()

    probs[0, 0, ten] = 1.0  # a ten read upright: its pieces stay merged
    allowed = np.array([[k in t.turns for k in range(4)] for t in tokens])
    _unmerge(tokens, probs, allowed)
    assert not allowed[1:, 0].any() and not allowed[1:, 2].any()


def test_a_suit_run_into_a_bar_under_its_rank_is_cut_free():
    # a hole card's suit touching the edge of the card over it, or a bar under the cards,
    # is one ink component with it; long straight runs are taken away to free the suit
    from engine.vision.glyphs import Token, ink_map
    from engine.vision.read import _suit_cut_free

    img = np.full((120, 120, 3), 40, np.uint8)
    img[10:110, 10:110] = 245  # card paper
    img[30:51, 30:45] = 0  # the rank, 21 px tall
    cv2.circle(img, (37, 62), 7, (0, 0, 0), -1)  # a round suit under it...
    img[68:80, 36:39] = 0  # ...whose stem runs down into
    img[80:84, 10:110] = 0  # a bar across the card
    low, paper, white = ink_map(img)
    cut = _suit_cut_free(Token(30, 30, 15, 21, 315, (1,)), 0, img, low, paper, white)
    assert cut is not None
    suit = cut[0]
    assert 28 <= suit.x <= 31 and 54 <= suit.y <= 56 and suit.y + suit.h <= 81


def test_a_screenshot_over_the_size_limit_reads_like_its_smaller_self():
    # read shrunk, reported and judged in the image's own pixels: roles must not see boxes
    # of the large image inside the frame of the shrunk one
    path = HERE / "scene_blackjack.jpg"
    img = cv2.imread(str(path))
    big = cv2.resize(img, None, fx=4, fy=4, interpolation=cv2.INTER_LINEAR)
    assert max(big.shape[:2]) > 2200
    small, large = read_table(img), read_table(big)
    assert large.game == small.game and large.roles == small.roles
    key = lambda c: c.card  # noqa: E731
    for a, b in zip(sorted(small.cards, key=key), sorted(large.cards, key=key), strict=True):
        assert a.card == b.card
        assert b.box[0] + b.box[2] <= big.shape[1] and b.box[1] + b.box[3] <= big.shape[0]


def test_marks_inside_a_line_of_text_are_no_index_but_an_index_and_its_ten_are():
    # chat lines print rank- and suit-like letters ("have 8 seconds" once read as a 2c);
    # a letter with two letters of its height beside it on its line, on one background, is
    # text (a word's end letters are not judged text: that lost more cards than it saved),
    # while a rank over its suit, a ten's "1" and "0" (and the token merging them), a rank
    # beside its suit on a jumbo index, and a hole card's "5" beside the "10" of the card
    # over it (that card's edge between them) stand alone
    from engine.vision.glyphs import Token
    from engine.vision.read import _in_text

    def tok(x, y, w, h):
        return Token(x, y, w, h, w * h // 2, (0,))

    word = [tok(100 + 9 * i, 50, 7, 10) for i in range(5)]  # five letters, gaps of 2 px
    index = [tok(300, 40, 8, 12), tok(300, 54, 8, 9)]  # rank over suit
    ten = [tok(400, 40, 4, 12), tok(405, 40, 8, 12), tok(400, 40, 13, 12)]
    jumbo = [tok(500, 40, 20, 30), tok(524, 44, 20, 22)]  # rank beside suit
    fan = [tok(600, 40, 10, 16), tok(615, 40, 4, 16), tok(621, 40, 10, 16)]  # "5" | "1" "0"
    tokens = word + index + ten + jumbo + fan
    suitlike = np.zeros(len(tokens), bool)
    suitlike[[6, 11]] = True  # the index's and the jumbo index's suits
    white = np.ones((200, 700), bool)
    white[:, 611:614] = False  # the edge of the card over the hole card, and its shadow
    assert _in_text(tokens, suitlike, white).tolist() == [False] + [True] * 3 + [False] * 11
    white[:, 611:614] = True  # no edge: "5 10" reads as a word
    assert _in_text(tokens, suitlike, white).tolist()[-3:] == [True, True, True]


def test_a_sure_rank_merged_with_its_neighbour_is_read_alone_unless_they_make_a_ten():
    # a hole card's "5" beside the "1" of the "10" on the card over it merge side by side
    # (as the "1" and "0" of a ten do); the merge reads as no ten, so the "5", surely a
    # rank, is read alone across the merge's axis; pieces of a merge that reads as a ten
    # stay merged
    from engine.vision.classify import CLASSES
    from engine.vision.glyphs import Token
    from engine.vision.read import _unmerge

    def case(merged_class):
        five = Token(10, 20, 30, 48, 700, (1,), turns=(1, 3))
        one = Token(45, 20, 6, 48, 200, (2,), turns=(1, 3))
        merged = Token(10, 20, 41, 48, 900, (1, 2), turns=(0, 2))
        probs = np.zeros((3, 4, len(CLASSES)), np.float32)
        probs[:, :, CLASSES.index("other")] = 1.0
        probs[0, :, CLASSES.index("other")] = 0.05
        probs[0, :, CLASSES.index("5")] = 0.95
        probs[2, :, CLASSES.index("other")] = 0.0
        probs[2, :, CLASSES.index(merged_class)] = 1.0
        allowed = np.array([[k in t.turns for k in range(4)] for t in (five, one, merged)])
        _unmerge([five, one, merged], probs, allowed)
        return allowed[0].tolist(), allowed[1].tolist()

    assert case("other") == ([True, True, True, True], [False, True, False, True])
    assert case("T") == ([False, True, False, True], [False, True, False, True])


def test_paper_with_room_for_two_cards_and_one_read_is_read_again():
    # a pair of hole cards side by side where only one was read: the patch holds half the
    # cards its area has room for, and is read again enlarged; a board patch with all its
    # cards read is not
    from engine.vision.read import DetectedCard, _under_filled

    one = [DetectedCard("9s", (100, 100, 70, 100), 0.9)]
    assert _under_filled((100, 100, 240, 200), one)  # room for two 70 x 100 cards
    row = [DetectedCard(f"{r}h", (100 + 70 * i, 100, 70, 100), 0.9) for i, r in enumerate("2345")]
    assert not _under_filled((100, 100, 380, 200), row)
