"""Felt's server: the Streamlit app (``app.py``) plus what a deployment watches.

``streamlit run serve.py`` (what ``scripts/run`` does) serves the app and two more routes:
``/healthz`` (200 and JSON when the database opens and is migrated, else 503 with the
reason) and ``/metrics`` (Prometheus text: stored answers and reviewed hands, database size,
HTTP requests served). Streamlit's own liveness probe stays at ``/_stcore/health``.
"""

from __future__ import annotations

import time

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from engine.ops import HttpCounter, health_report, prometheus_text
from engine.store import thread_store

STARTED = time.time()
HTTP = HttpCounter()


class CountRequests:
    """ASGI middleware: count plain HTTP requests (not the app's websocket) and their time."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def send_status(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            HTTP.add(scope["method"], status, time.perf_counter() - start)


def healthz(request) -> JSONResponse:
    code, body = health_report(thread_store)
    return JSONResponse(body, status_code=code, headers={"Cache-Control": "no-store"})


def metrics(request) -> PlainTextResponse:
    return PlainTextResponse(
        prometheus_text(thread_store, HTTP, STARTED),
        media_type="text/plain; version=0.0.4; charset=utf-8",
    )


app = st.App(
    "app.py",
    routes=[Route("/healthz", healthz), Route("/metrics", metrics)],
    middleware=[Middleware(CountRequests)],
)
