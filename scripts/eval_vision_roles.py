"""Score role and game assignment apart from card reading, on labelled scene sets.

Modes, each over the scenes whose labels carry roles:

* oracle: detections made straight from the truth quads (box = the quad's bounding rect,
  orientation 0 if the card stands up, 1 if it lies across, confidence 0.9);
* drop: the oracle with each card dropped with probability ``--drop`` (several seeds), as
  real reads miss cards: roles must degrade gracefully;
* turned: the oracle with the table turned a quarter either way;
* read: the card reader's own detections (``read_table``), unless ``--no-read``.

Role accuracy is the scorer's (a missed card counts as wrong); "[present]" is the same
over the cards that were there to assign, which isolates role mistakes from misses.

    .venv/bin/python scripts/eval_vision_roles.py ../shared/data/vision/dev_sample /tmp/val2
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.vision import read_table
from engine.vision.roles import assign_roles


def _oracle(scene: dict) -> list[SimpleNamespace]:
    out = []
    for q in scene["quads"]:
        p = q["quad"]
        xs, ys = [a[0] for a in p], [a[1] for a in p]
        e1 = (p[1][0] - p[0][0], p[1][1] - p[0][1])
        e2 = (p[2][0] - p[1][0], p[2][1] - p[1][1])
        long = e1 if math.hypot(*e1) > math.hypot(*e2) else e2
        box = (int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys)))
        out.append(
            SimpleNamespace(
                card=q["card"],
                box=box,
                confidence=0.9,
                orientation=0 if abs(long[1]) >= abs(long[0]) else 1,
            )
        )
    return out


def _turned(cards: list[SimpleNamespace], w: int, h: int, cw: bool) -> list[SimpleNamespace]:
    out = []
    for c in cards:
        x, y, bw, bh = c.box
        box = (h - y - bh, x, bh, bw) if cw else (y, w - x - bw, bh, bw)
        out.append(SimpleNamespace(card=c.card, box=box, confidence=0.9, orientation=1))
    return out


def _score(scene: dict, cards: list, shape: tuple[int, int], tally: Counter) -> None:
    game, roles = assign_roles(cards, shape, None)
    _tally(scene, game, roles, {c.card for c in cards}, tally)


def _tally(scene: dict, game: str | None, roles: dict, there: set[str], tally: Counter) -> None:
    said = {c: k for k, v in roles.items() for c in v}
    for role, names in scene["roles"].items():
        for c in names:
            tally["all"] += 1
            tally["ok"] += said.get(c) == role
            if c in there:
                tally["there"] += 1
                tally["there_ok"] += said.get(c) == role
    tally["scenes"] += 1
    tally["game_ok"] += game == scene["game"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", help="directories holding labels.json and images")
    ap.add_argument("--drop", type=float, default=0.12)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--no-read", action="store_true", help="skip the card reader's mode")
    args = ap.parse_args()
    for d in args.sets:
        tallies: dict[str, Counter] = {m: Counter() for m in ("oracle", "drop", "turned", "read")}
        for scene in json.loads((Path(d) / "labels.json").read_text()):
            if not scene.get("roles"):
                continue
            if scene.get("quads"):
                w, h = scene["params"]["canvas"]
                cards = _oracle(scene)
                _score(scene, cards, (h, w), tallies["oracle"])
                for seed in range(args.seeds):
                    rng = random.Random(f"{scene['file']}/{seed}")
                    kept = [c for c in cards if rng.random() >= args.drop]
                    _score(scene, kept, (h, w), tallies["drop"])
                for cw in (True, False):
                    _score(scene, _turned(cards, w, h, cw), (w, h), tallies["turned"])
            if not args.no_read:
                found = read_table(str(Path(d) / scene["file"]))
                there = {c.card for c in found.cards}
                _tally(scene, found.game, found.roles, there, tallies["read"])
        line = [Path(d).name]
        for mode, t in tallies.items():
            if t["scenes"]:
                line.append(
                    f"{mode}: role {100 * t['ok'] / t['all']:.1f}"
                    f" [present {100 * t['there_ok'] / max(1, t['there']):.1f}]"
                    f" game {100 * t['game_ok'] / t['scenes']:.1f} (n={t['scenes']})"
                )
        print("  ".join(line))


if __name__ == "__main__":
    main()
