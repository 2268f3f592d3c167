"""Render a deck of one-file-per-card images into the scene generator's face cache.

For scoring the card reader on decks no development work has used: the shared scene
generator (``make_scenes.py``) reads faces from ``FACES/<deck>/<card>.png`` (RGBA, 440 px
tall, e.g. ``As.png``, ``Td.png``, ``back.png``); this fills such a folder from any deck whose
cards are separate SVG or PNG files, named by a pattern.

    # SVG decks need librsvg's Python binding: Debian's python3-gi, gir1.2-rsvg-2.0 and
    # python3-gi-cairo, in a venv made with --system-site-packages (plus numpy, opencv)
    python scripts/render_card_faces.py DIR FACES/n_cardsjs "{R}{S}.svg" --back Red_Back.svg
    python scripts/render_card_faces.py DIR FACES/n_svgcards "{suit}_{rank}.png"

Pattern fields: ``{R}`` A 2..10 J Q K, ``{rank}`` 1 2..10 jack queen king, ``{S}`` C D H S,
``{suit}`` club diamond heart spade. Then score scenes made from them with
``scripts/make_vision_eval.py --faces FACES --decks n_cardsjs ...``.

The decks used so far (session 2 notes), all from the npm registry and none committed here:
``cardsJS`` (MIT; ``dist/cards/*.svg``), ``svg-cards`` (LGPL-2.1; ``png/2x/*.png``) and
``@letele/playing-cards`` (CC0; React components, written out as SVG files with
``react-dom/server``'s ``renderToStaticMarkup``).
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


def _face(path: pathlib.Path) -> np.ndarray:
    """The card as RGBA, cropped to its largest opaque blob, FACE_H pixels tall."""
    img = _render_svg(path) if path.suffix.lower() == ".svg" else cv2.imread(str(path), -1)
    if img is None or img.ndim != 3 or img.shape[2] != 4:
        raise SystemExit(f"{path}: not an RGBA image")
    n, _, stats, _ = cv2.connectedComponentsWithStats((img[:, :, 3] > 8).astype(np.uint8), 8)
    if n > 1:
        x, y, w, h = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA])), :4]
        img = img[y : y + h, x : x + w]
    width = round(img.shape[1] * FACE_H / img.shape[0])
    return cv2.resize(img, (width, FACE_H), interpolation=cv2.INTER_AREA)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=pathlib.Path)
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("pattern", help='file name of a card, e.g. "{R}{S}.svg"')
    ap.add_argument("--back", help="file name of the card back")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for rank, rank_word in RANKS:
        for suit, suit_word in SUITS:
            name = a.pattern.format(R=rank, rank=rank_word, S=suit, suit=suit_word)
            card = ("T" if rank == "10" else rank) + suit.lower()
            cv2.imwrite(str(a.out / f"{card}.png"), _face(a.source / name))
    if a.back:
        cv2.imwrite(str(a.out / "back.png"), _face(a.source / a.back))
    print("wrote 52 faces to", a.out)


if __name__ == "__main__":
    main()
