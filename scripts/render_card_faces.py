"""Render a deck of one-file-per-card images into the scene generator's face cache.

For scoring the card reader on decks no development work has used: the shared scene
generator (``make_scenes.py``) reads faces from ``FACES/<deck>/<card>.png`` (RGBA, 440 px
tall, e.g. ``As.png``, ``Td.png``, ``back.png``); this fills such a folder from any deck whose
cards are separate SVG, PNG or GIF files, named by a pattern.

    # SVG decks need librsvg's Python binding: Debian's python3-gi, gir1.2-rsvg-2.0 and
    # python3-gi-cairo, in a venv made with --system-site-packages (plus numpy, opencv)
    python scripts/render_card_faces.py DIR FACES/n_cardsjs "{R}{S}.svg" --back Red_Back.svg
    python scripts/render_card_faces.py DIR FACES/n_svgcards "{suit}_{rank}.png"

Pattern fields: ``{R}`` A 2..10 J Q K, ``{T}`` A 2..9 T J Q K, ``{rank}`` 1 2..10 jack queen
king, ``{word}`` ace 2..10 jack queen king, ``{num}`` 1..13 (``{num:02d}``: 01..13), ``{S}``
C D H S, ``{s}`` c d h s, ``{suit}`` club diamond heart spade, ``{i}`` the card's number in
the deck's own order (``--suit-order``, ``--rank-order``, ``--first``). ``--court-pattern``
names the J, Q and K apart. Then score scenes made from them with
``scripts/make_vision_eval.py --faces FACES --decks n_cardsjs ...``.

Decks used so far; none is committed here, and each is fetched from a package registry.

Session 2 (the ``unseen`` and ``blind`` sets), from the npm registry: ``cardsJS`` (MIT;
``dist/cards/*.svg``; Chris Aguilar's Vectorized Playing Cards), ``svg-cards`` (LGPL-2.1;
``png/2x/*.png``; David Bellot's) and ``@letele/playing-cards`` (CC0; Adrian Kennard's
cards as React components, written out as SVG files with ``react-dom/server``'s
``renderToStaticMarkup``). Not new decks, so left out since (Adrian Kennard's again):
``@heruka_urgyen/react-playing-cards``, Debian's ``kgames``; (Chris Aguilar's again):
``@younestouati/playing-cards-standard-deck``; (GNOME or KDE decks or their sources):
the PySolFC sets ``aisleriot``, ``gdkcard-bonded``, ``paris``, ``konqi-modern``,
``warwick`` (kpat), ``nicu*``, ``xskat*``, and ``bellot``, ``me-uk``.

Session 3, ``unseen2`` (diagnostic: ``--decks n_pokerth_big n_pokerth_4c n_knoll n_sylly
--n 100 --seed 7272``) and ``blind2`` (nobody looks at its scenes: ``--decks n_pypoker
n_zmin4c n_greywyvern n_oxymoron --n 80 --seed 6363``); one design family per set:

- ``n_pokerth_big``, ``n_pokerth_4c``: Debian ``pokerth-data`` (``apt-get download``),
  ``/usr/share/games/pokerth/gfx/cards/default_800x480`` (PokerTH 1.0 deck, big indices;
  AGPL-3+) and ``.../default4c`` (the old four-colour deck after Wikimedia user Xiong's
  cards; GFDL-1.2+ or public domain). 48x76 px game-client PNGs, numbered 0..51 in suits
  d h s c, ranks 2..A: ``"{i}.png" --suit-order dhsc --rank-order 23456789TJQKA
  --back flipside.png``.
- ``n_knoll``: PyPI ``blackjack-gui`` 1.8.1 (MIT), ``blackjack_gui/images``: Byron Knoll's
  public-domain vector cards as PNG: ``"{word}_of_{suit}s.png" --court-pattern
  "{word}_of_{suit}s2.png" --back back.png`` (the ``2`` files are the pictured courts).
- ``n_pypoker``: PyPI ``PyPokerGUI`` 0.0.7 (MIT), ``pypokergui/server/static/images``:
  ``"card_{S}{T}.png"`` (no back).
- ``n_sylly``, ``n_zmin4c``, ``n_greywyvern``, ``n_oxymoron``: Debian ``pysolfc-cardsets``
  3.0 (in sid, not bookworm: ``apt-get download`` with ``-o Dir::Etc::SourceList=`` a
  private list of sid and ``-o Dir::State::Lists=`` a private folder, leaving the
  machine's apt alone), ``/usr/share/games/pysolfc/cardset-NAME`` with NAME ``sylly`` and
  ``z-minimal-fourcolor`` (2017, 2023; not itemised in the package's copyright file, which
  covers the older sets, GPL-2+ mostly), ``greywyvern`` (GreyWyvern; public domain or BSD)
  and ``gpl`` (Oliver Xymoron's cards-2.0; GPL-2+). Files ``"{num:02d}{s}.png"`` (``.gif``
  for ``gpl``), ``--back back01.png`` (``back001.png`` for ``greywyvern``, ``back01.gif``
  for ``gpl``). Spare sets there: ``spider``, ``xpat2-nox-*``, ``standard-small`` and
  ``cardmage`` have bitmap indices much like ``gpl``'s (keep them on ``blind2``'s side);
  ``penguins``, ``kabale`` (index top right), ``kenney`` (rank and suit side by side),
  ``jacoby``. Sets from before about 1860 have no indices at all.
"""

from __future__ import annotations

import argparse
import pathlib

import cv2
import numpy as np

FACE_H = 440
RANKS = [("A", "1"), *((str(v), str(v)) for v in range(2, 11)), ("J", "jack"), ("Q", "queen"),
         ("K", "king")]  # fmt: skip
SUITS = [("C", "club"), ("D", "diamond"), ("H", "heart"), ("S", "spade")]
_WORD = {"1": "ace"}  # ``{word}``: the rank as most file names spell it


def card_files(
    pattern: str,
    suit_order: str = "cdhs",
    rank_order: str = "A23456789TJQK",
    first: int = 0,
    court_pattern: str | None = None,
) -> dict[str, str]:
    """Each card's code (``As``, ``Td``, ...) -> its file name under ``pattern``.

    Decks name their files in many ways: by rank and suit in letters or words, or by a
    number, the card's position in the deck's own order (PokerTH: ``0.png`` is the 2 of
    diamonds, suits d h s c, ranks 2..A). ``{i}`` is that position: ``first`` + 13 times the
    suit's place in ``suit_order`` + the rank's place in ``rank_order``. Some decks offer
    their court cards twice (``jack_of_clubs.png`` a big suit, ``jack_of_clubs2.png`` the
    picture a real deck has): ``court_pattern`` names the J, Q and K apart.
    """
    files = {}
    for rank, rank_word in RANKS:
        t = "T" if rank == "10" else rank
        for suit, suit_word in SUITS:
            s = suit.lower()
            i = first + 13 * suit_order.index(s) + rank_order.index(t)
            pat = court_pattern if court_pattern and t in "JQK" else pattern
            word = _WORD.get(rank_word, rank_word)
            num = "A23456789TJQK".index(t) + 1
            fields = {"R": rank, "T": t, "rank": rank_word, "word": word, "num": num, "S": suit}
            files[t + s] = pat.format(**fields, s=s, suit=suit_word, i=i)
    if len(set(files.values())) != 52:
        raise ValueError(f"pattern {pattern!r} does not name 52 different files")
    return files


def _render_svg(path: pathlib.Path) -> np.ndarray:
    import cairo
    import gi

    gi.require_version("Rsvg", "2.0")
    from gi.repository import Rsvg

    handle = Rsvg.Handle.new_from_file(str(path))
    ok, w, h = handle.get_intrinsic_size_in_pixels()
    if not ok or w <= 0:
        dims = handle.get_dimensions()
        w, h = dims.width, dims.height
    width = round(w * FACE_H / h)
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, FACE_H)
    viewport = Rsvg.Rectangle()
    viewport.x, viewport.y, viewport.width, viewport.height = 0, 0, width, FACE_H
    handle.render_document(cairo.Context(surface), viewport)
    surface.flush()
    bgra = np.ndarray((FACE_H, width, 4), np.uint8, surface.get_data(),
                      strides=(surface.get_stride(), 4, 1)).copy()  # fmt: skip
    alpha = bgra[:, :, 3:4].astype(np.float32)  # cairo premultiplies: undo it
    rgb = np.where(alpha > 0, bgra[:, :, :3] * 255.0 / np.maximum(alpha, 1), 0)
    bgra[:, :, :3] = np.clip(rgb, 0, 255).astype(np.uint8)
    return bgra


def face(img: np.ndarray) -> np.ndarray:
    """The card as RGBA, cropped to its largest opaque blob, FACE_H pixels tall.

    A card without alpha is taken as opaque. Small cards (a game client's 76 px PNGs) are
    scaled up smoothly (cubic), as a client zoomed to a bigger table would show them;
    big ones are scaled down by area, which keeps thin index strokes.
    """
    if img.ndim == 3 and img.shape[2] == 3:
        img = np.dstack([img, np.full(img.shape[:2], 255, np.uint8)])
    if img.ndim != 3 or img.shape[2] != 4:
        raise ValueError("not an RGB or RGBA image")
    n, _, stats, _ = cv2.connectedComponentsWithStats((img[:, :, 3] > 8).astype(np.uint8), 8)
    if n > 1:
        x, y, w, h = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA])), :4]
        img = img[y : y + h, x : x + w]
    width = round(img.shape[1] * FACE_H / img.shape[0])
    interp = cv2.INTER_CUBIC if img.shape[0] < FACE_H else cv2.INTER_AREA
    return cv2.resize(img, (width, FACE_H), interpolation=interp)


def _face(path: pathlib.Path) -> np.ndarray:
    img = _render_svg(path) if path.suffix.lower() == ".svg" else cv2.imread(str(path), -1)
    if img is None:
        raise SystemExit(f"{path}: not an image")
    try:
        return face(img)
    except ValueError as e:
        raise SystemExit(f"{path}: {e}") from None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=pathlib.Path)
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("pattern", help='file name of a card, e.g. "{R}{S}.svg"')
    ap.add_argument("--back", help="file name of the card back")
    ap.add_argument("--suit-order", default="cdhs", help="suits in the deck's order, for {i}")
    ap.add_argument("--rank-order", default="A23456789TJQK", help="ranks in order, for {i}")
    ap.add_argument("--first", type=int, default=0, help="{i} of the first card")
    ap.add_argument("--court-pattern", help="file name of the J, Q and K, if not PATTERN")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for card, name in card_files(
        a.pattern, a.suit_order, a.rank_order, a.first, a.court_pattern
    ).items():
        cv2.imwrite(str(a.out / f"{card}.png"), _face(a.source / name))
    if a.back:
        cv2.imwrite(str(a.out / "back.png"), _face(a.source / a.back))
    print("wrote 52 faces to", a.out)


if __name__ == "__main__":
    main()
