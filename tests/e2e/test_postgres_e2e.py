"""The real app on PostgreSQL (FELT_DB=postgresql://...): a drill answered in Chromium lands
in Postgres, /healthz answers 200, and no page shows the password."""

import json
import urllib.parse
import urllib.request

import psycopg
import pytest

from tests.e2e.conftest import answer_equity_estimate, goto, start_app, stop_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pg_app(pg_server, chromium):
    url = pg_server.new_database(empty=True)  # the app migrates it on first start
    parts = urllib.parse.urlsplit(url)
    secret = urllib.parse.urlunsplit(  # trust auth ignores it; the app must not show it
        parts._replace(netloc=f"{parts.username}:s3cret@{parts.hostname}:{parts.port}")
    )
    proc, app_url = start_app(secret)
    yield app_url, url
    stop_app(proc)


def rows(url, sql):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_a_drill_answered_in_the_browser_lands_in_postgres(page, pg_app):
    app_url, db = pg_app
    answer_equity_estimate(page, app_url, "50")
    stored = rows(db, "SELECT drill, answer, situation FROM drill_attempts ORDER BY id")
    assert stored and stored[-1][:2] == ("poker-equity", "50")
    assert isinstance(stored[-1][2], dict)  # jsonb
    applied = rows(db, "SELECT name FROM migrations ORDER BY id")
    assert [r[0] for r in applied][-1] == "0006_spot_names"
    assert page.locator("[data-testid='stException']").count() == 0


def test_healthz_and_the_settings_page_show_the_url_without_the_password(page, pg_app):
    app_url, _ = pg_app
    with urllib.request.urlopen(f"{app_url}/healthz", timeout=10) as r:
        assert r.status == 200
        body = json.loads(r.read())
    assert body["status"] == "ok" and body["database"]["backend"] == "postgresql"
    assert ":***@" in body["database"]["location"]
    for path in ("settings", "analytics", "review"):  # the last two read the drill's answer
        goto(page, app_url, path)
        assert "s3cret" not in page.content(), path
        assert page.locator("[data-testid='stException']").count() == 0, path
        if path == "settings":
            assert page.get_by_text("PostgreSQL database").count() >= 1
