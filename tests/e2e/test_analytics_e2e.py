"""The Analytics page in headless Chromium over a generated history of 100,000 answers."""

import json
import pathlib

import pytest

from engine.store import SqliteStore
from engine.store.analytics import synthetic_history
from tests.e2e.conftest import goto, start_app, stop_app, wait_idle

pytestmark = pytest.mark.e2e

N_ATTEMPTS = 100_000


@pytest.fixture(scope="module")
def big_app(tmp_path_factory, chromium):
    db = tmp_path_factory.mktemp("e2e-analytics") / "felt.db"
    with SqliteStore(db) as store:
        synthetic_history(store, store.default_profile().id, N_ATTEMPTS)
    proc, url = start_app(db)
    yield url
    stop_app(proc)


def test_analytics_renders_every_chart_for_100k_answers(chromium, big_app):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{big_app}/analytics")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        wait_idle(page, timeout=180_000)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length >= 6",
            timeout=120_000,
        )
        main = page.locator("[data-testid='stMain']")
        assert main.locator("[data-testid='stException']").count() == 0
        assert main.locator("[data-testid='stPlotlyChart']").count() == 6
        # every chart drew its traces (an SVG or WebGL plot inside), none is an empty frame
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
            ".every(c => c.querySelector('.main-svg'))",
            timeout=60_000,
        )
        assert main.get_by_text("100,000 answers", exact=False).count() == 1
        assert main.get_by_text("Your biggest leak is", exact=False).count() >= 1
        assert main.get_by_role("button", name="Practise this").count() >= 1
    finally:
        context.close()


def test_your_data_downloads_a_json_export_built_on_click(page, app_server):
    url, _ = app_server
    goto(page, url, "your_data")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="JSON (everything)").click()
    data = json.loads(pathlib.Path(info.value.path()).read_text())
    assert data["format"] == "felt-profile" and data["version"] == 1
    assert page.locator("[data-testid='stException']").count() == 0
