"""``python -m engine.vision IMAGE [--game poker|blackjack]``: print the cards as JSON.

Output: ``{"cards": [...], "roles": {...}, "detections": [{"card", "box", "confidence"}]}``.
Bad input: one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from engine.errors import FeltError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m engine.vision", description=__doc__.splitlines()[0])
    parser.add_argument("image", help="PNG, JPEG or WebP screenshot or photo of a table")
    parser.add_argument("--game", choices=["poker", "blackjack"], default=None)
    args = parser.parse_args(argv)
    from engine.vision import read_table

    try:
        result = read_table(args.image, game=args.game)
    except (FeltError, ValueError) as exc:
        print(f"error: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    json.dump(result.to_json(), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
