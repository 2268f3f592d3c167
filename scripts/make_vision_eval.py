"""Render a labelled set of synthetic table scenes from chosen development decks.

For validation sets the glyph classifier never saw: other seeds than the training scenes,
or one deck family held out of training (``--decks a_plastic``). Uses the shared scene
generator and its face cache; writes OUT/NNNN.jpg and OUT/labels.json for the scorer.

    .venv/bin/python scripts/make_vision_eval.py --faces /tmp/card_faces \
        --make-scenes ../shared/data/vision/make_scenes.py --decks a_plastic \
        --n 60 --seed 101 --out /tmp/vision_heldout
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random

import cv2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faces", required=True)
    ap.add_argument("--make-scenes", required=True)
    ap.add_argument("--decks", nargs="+", required=True)
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("make_scenes", a.make_scenes)
    ms = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ms)
    faces = ms.load_faces(a.faces, a.decks)
    os.makedirs(a.out, exist_ok=True)
    labels = []
    for i in range(a.n):
        rng = random.Random(a.seed * 100003 + i)
        img, game, cards, roles, params, quads = ms.make_scene(
            rng, faces, ("poker", "blackjack")[i % 2]
        )
        name = f"{i:04d}.jpg"
        cv2.imwrite(os.path.join(a.out, name), img, [cv2.IMWRITE_JPEG_QUALITY, params["jpeg_q"]])
        deck = params.pop("deck")
        params.pop("game")
        labels.append(
            {
                "file": name,
                "game": game,
                "cards": cards,
                "roles": roles,
                "deck": deck,
                "params": params,
                "quads": quads,
            }
        )
    with open(os.path.join(a.out, "labels.json"), "w") as f:
        json.dump(labels, f)
    print("wrote", a.n, "scenes to", a.out)


if __name__ == "__main__":
    main()
