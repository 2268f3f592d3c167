"""Command line: ``python -m engine COMMAND ...`` prints JSON on stdout.

Each command lives in its own module exposing ``add_arguments(parser)`` and
``run(args) -> object`` (the JSON-able result). Bad input: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from engine.errors import FeltError

# command -> (module, one-line help). Modules are imported only when their command runs,
# so `python -m engine equity` does not pay for the blackjack tables and vice versa.
COMMANDS: dict[str, tuple[str, str]] = {
    "equity": ("engine.poker.cli", "all-in equity of hands or ranges"),
    "bj": ("engine.blackjack.cli", "exact values of a blackjack decision"),
    "sim": ("engine.blackjack.sim_cli", "simulate a blackjack game with a count and bet ramp"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _Parser(prog="python -m engine", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    if not argv or argv[0] not in COMMANDS:
        for name, (_, help_) in COMMANDS.items():
            sub.add_parser(name, help=help_)
        parser.parse_args(argv)
        return 2
    name = argv[0]
    module_name, help_ = COMMANDS[name]
    module = importlib.import_module(module_name)
    module.add_arguments(sub.add_parser(name, help=help_))
    args = parser.parse_args(argv)
    try:
        result = module.run(args)
    except (FeltError, ValueError) as exc:
        print(f"error: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
