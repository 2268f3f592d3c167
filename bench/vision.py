"""Card reader benchmark: accuracy with the project's scorer and time against anchors.

    .venv/bin/python bench/vision.py [LABELS.json ...]
    .venv/bin/python bench/vision.py --scenes [--repeat N]

Defaults to the shared development sets (``../shared/data/vision/dev_sample`` and
``real_dev``). For every set it prints the scorer's line (exact-image rate, card P/R/F1,
role accuracy) and the median time per image of ``read_table`` called in-process, next to
two anchors timed in the same run on the same images: decoding the file alone
(``cv2.imdecode``) and the classical baseline's first step (Otsu threshold and external
contours), so the ratios survive a noisy shared machine. The scorer's own command-line
timing also pays for a Python start-up per image.

``--scenes`` needs nothing outside the repository: it times ``read_table`` on tables made
from the generated scenes in ``tests/vision`` (as they are, turned a quarter, scaled to
0.75 and 1.25, saved again as JPEG of quality 50 and as a PNG with an alpha channel, like
a browser's screenshot) and prints the median and 90th-percentile milliseconds per image,
the decoding anchor, and how many of the scenes as they are read exactly.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import statistics
import sys
import time

import cv2
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.vision import read_table  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "vision"
DEFAULT_SETS = [SHARED / "dev_sample" / "labels.json", SHARED / "real_dev" / "labels.json"]


def _scorer():
    spec = importlib.util.spec_from_file_location("score_vision", SHARED / "score_vision.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _decode(path: str) -> np.ndarray:
    return cv2.imdecode(np.fromfile(path, np.uint8), cv2.IMREAD_COLOR)


def _contours(path: str) -> int:
    gray = cv2.cvtColor(_decode(path), cv2.COLOR_BGR2GRAY)
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(bw, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return len(contours)


def _median_ms(fn, paths, repeat=3) -> float:
    times = []
    for p in paths:
        best = min(_timed(fn, p) for _ in range(repeat))
        times.append(best)
    return 1000 * statistics.median(times)


def _timed(fn, p) -> float:
    t0 = time.perf_counter()
    fn(p)
    return time.perf_counter() - t0


SCENES = ROOT / "tests" / "vision"


def generated_tables() -> list[tuple[str, bytes]]:
    """(name, encoded image) of tables made from the generated scenes in tests/vision."""
    out = []
    for path in sorted(SCENES.glob("scene_*.jpg")):
        img = _decode(str(path))
        variants = {
            "": img,
            " turned": cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE),
            " x0.75": cv2.resize(img, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA),
            " x1.25": cv2.resize(img, None, fx=1.25, fy=1.25, interpolation=cv2.INTER_CUBIC),
        }
        for tag, var in variants.items():
            out.append((path.name + tag, cv2.imencode(".jpg", var)[1].tobytes()))
        out.append(
            (
                path.name + " q50",
                cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 50])[1].tobytes(),
            )
        )
        rgba = cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)
        out.append((path.name + " rgba.png", cv2.imencode(".png", rgba)[1].tobytes()))
    return out


def bench_scenes(repeat: int) -> None:
    """Time read_table on the generated tables; check the scenes as they are read right."""
    tables = generated_tables()
    expected = json.loads((SCENES / "scenes.json").read_text())
    read_table(np.zeros((64, 64, 3), np.uint8))  # load the model once, as a server would
    exact = sum(
        sorted(read_table(data).to_json()["cards"]) == sorted(expected[name]["cards"])
        for name, data in tables
        if name in expected
    )
    ours = sorted(min(_timed(read_table, data) for _ in range(repeat)) for _, data in tables)
    dec = [min(_timed(_decode_bytes, data) for _ in range(repeat)) for _, data in tables]
    n = len(ours)
    print(
        f"{n} generated tables: read_table median {1000 * statistics.median(ours):.1f} ms, "
        f"p90 {1000 * ours[int(0.9 * (n - 1))]:.1f} ms per image; "
        f"decode only {1000 * statistics.median(dec):.1f} ms; "
        f"{exact} of {sum(name in expected for name, _ in tables)} scenes read exactly"
    )


def _decode_bytes(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)


def main(argv: list[str]) -> None:
    if "--scenes" in argv:
        repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
        bench_scenes(repeat)
        return
    sets = [pathlib.Path(a) for a in argv] or [p for p in DEFAULT_SETS if p.exists()]
    if not sets:
        sys.exit("no labels.json given and the shared development sets are not here")
    scorer = _scorer()
    read_table(np.zeros((64, 64, 3), np.uint8))  # load the model once, as a server would
    for labels in sets:
        res = scorer.score(str(labels), lambda p: read_table(p).to_json())
        scorer.print_report(res)
        paths = [str(labels.parent / r["file"]) for r in json.loads(labels.read_text())]
        ours = _median_ms(read_table, paths)
        dec = _median_ms(_decode, paths)
        base = _median_ms(_contours, paths)
        print(
            f"{labels.parent.name}: read_table median {ours:.1f} ms/image; "
            f"decode only {dec:.1f} ms (ratio {ours / dec:.2f}); "
            f"decode+threshold+contours {base:.1f} ms (ratio {ours / base:.2f})\n"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
