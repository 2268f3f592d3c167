"""What a deployment watches: a health report and Prometheus metrics, from the store.

Pure functions over ``Store.status()`` and a few process figures; ``serve.py`` mounts them
as ``/healthz`` and ``/metrics`` beside the app. A health check that cannot read the
database says so (status 503 and the store's message), so an orchestrator restarts or
stops routing to a replica whose volume went missing, rather than users finding out.
"""

from __future__ import annotations

import math
import pathlib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from engine.errors import StoreError
from engine.store import Store

__all__ = ["HttpCounter", "health_report", "prometheus_text"]

VERSION: str = tomllib.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
)["project"]["version"]


def health_report(open_store: Callable[[], Store]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): 200 when the database opens, reads and is migrated.

    >>> from engine.store import SqliteStore
    >>> code, body = health_report(lambda: SqliteStore(":memory:"))
    >>> code, body["status"], body["database"]["backend"]
    (200, 'ok', 'sqlite')
    >>> def broken():
    ...     raise StoreError("The database /x/felt.db cannot be opened.")
    >>> health_report(broken)
    (503, {'status': 'error', 'error': 'The database /x/felt.db cannot be opened.'})
    """
    try:
        status = open_store().status()
    except StoreError as exc:
        return 503, {"status": "error", "error": str(exc)}
    if status["migrations_pending"]:
        pending = ", ".join(status["migrations_pending"])
        return 503, {"status": "error", "error": f"database migrations not applied: {pending}"}
    return 200, {
        "status": "ok",
        "version": VERSION,
        "database": {
            "backend": status["backend"],
            "location": status["location"],
            "size_bytes": status["size_bytes"],
        },
    }


class HttpCounter:
    """Requests served, by method and status class, and their total time (for /metrics).

    Counts are kept per process (each replica reports its own, as Prometheus expects).
    """

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str], int] = {}
        self.seconds: dict[tuple[str, str], float] = {}

    def add(self, method: str, status: int, seconds: float) -> None:
        key = (method, f"{status // 100}xx")
        self.requests[key] = self.requests.get(key, 0) + 1
        self.seconds[key] = self.seconds.get(key, 0.0) + seconds


def _label(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _sample(name: str, labels: Mapping[str, object], value: float) -> str:
    inner = ",".join(f"{k}={_label(v)}" for k, v in labels.items())
    v = float(value)
    number = "NaN" if math.isnan(v) else str(int(v)) if v.is_integer() else repr(v)
    return f"{name}{{{inner}}} {number}" if inner else f"{name} {number}"


def _family(
    name: str, kind: str, help_text: str, samples: Iterable[tuple[Mapping[str, object], float]]
) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    lines += [_sample(name, labels, value) for labels, value in samples]
    return lines


def prometheus_text(
    open_store: Callable[[], Store],
    http: HttpCounter | None = None,
    started_at: float | None = None,
) -> str:
    """The Prometheus text exposition (format 0.0.4) of the store's figures and the server's.

    A database that cannot be read gives ``felt_database_up 0`` and no store figures,
    rather than an error page: the scrape itself still works.

    >>> from engine.store import SqliteStore
    >>> text = prometheus_text(lambda: SqliteStore(":memory:"))
    >>> "felt_database_up 1" in text and "felt_profiles 0" in text
    True
    """
    lines = _family("felt_info", "gauge", "Felt's version.", [({"version": VERSION}, 1)])
    try:
        status: dict[str, Any] | None = open_store().status()
    except StoreError:
        status = None
    lines += _family(
        "felt_database_up", "gauge", "1 when the database can be read.", [({}, int(bool(status)))]
    )
    if status is not None:
        drills = status["drills"]
        lines += _family(
            "felt_database_size_bytes", "gauge", "Database file size, write-ahead log included.",
            [({}, status["size_bytes"])] if status["size_bytes"] is not None else [],
        )  # fmt: skip
        lines += _family("felt_profiles", "gauge", "Profiles.", [({}, status["profiles"])])
        lines += _family(
            "felt_sessions", "gauge", "Training sessions stored.", [({}, status["sessions"])]
        )
        lines += _family(
            "felt_drill_attempts", "gauge", "Graded answers stored, by drill.",
            [({"drill": d}, v["attempts"]) for d, v in drills.items()],
        )  # fmt: skip
        lines += _family(
            "felt_drill_mistakes", "gauge", "Wrong answers stored, by drill.",
            [({"drill": d}, v["mistakes"]) for d, v in drills.items()],
        )  # fmt: skip
        lines += _family(
            "felt_drill_ev_lost", "gauge", "Expected value lost by wrong answers, by drill.",
            [({"drill": d}, v["ev_lost"]) for d, v in drills.items()],
        )  # fmt: skip
        lines += _family(
            "felt_hands_reviewed", "gauge", "Reviewed hands stored, by source.",
            [({"source": s}, n) for s, n in sorted(status["hands"].items())],
        )  # fmt: skip
        lines += _family(
            "felt_review_items", "gauge", "Cards in the review queue.",
            [({}, status["review_items"])],
        )  # fmt: skip
        lines += _family(
            "felt_review_due", "gauge", "Review cards due now.", [({}, status["review_due"])]
        )
    if http is not None:
        keys = sorted(http.requests)
        lines += _family(
            "felt_http_requests_total", "counter", "HTTP requests served, by method and status.",
            [({"method": m, "code": c}, http.requests[(m, c)]) for m, c in keys],
        )  # fmt: skip
        lines += _family(
            "felt_http_request_seconds_total", "counter", "Time spent serving HTTP requests.",
            [({"method": m, "code": c}, http.seconds[(m, c)]) for m, c in keys],
        )  # fmt: skip
    if started_at is not None:
        lines += _family(
            "process_start_time_seconds", "gauge", "Start time of the process (Unix time).",
            [({}, started_at)],
        )  # fmt: skip
    return "\n".join(lines) + "\n"
