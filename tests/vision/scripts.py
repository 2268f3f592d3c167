"""Load a script from ``scripts/`` as a module, for testing the functions it defines."""

import functools
import importlib.util
import pathlib
import types

_SCRIPTS = pathlib.Path(__file__).resolve().parents[2] / "scripts"


@functools.cache
def load_script(name: str) -> types.ModuleType:
    """``scripts/<name>.py`` as a module (loaded once)."""
    spec = importlib.util.spec_from_file_location(name, _SCRIPTS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
