"""The real app in headless Chromium: every page renders, drills answer by keyboard and store."""

import sqlite3

import pytest

from tests.e2e.conftest import answer_equity_estimate, goto, wait_idle

pytestmark = pytest.mark.e2e


def stored(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_home_renders_with_the_profile_sidebar(page, app_server):
    url, _ = app_server
    goto(page, url)
    assert page.locator("h1").first.inner_text().strip().endswith("Felt")
    assert page.get_by_text("What to practise").count() >= 1
    assert page.locator("[data-testid='stSidebar']").get_by_text("Profile").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0


def test_settings_page_names_the_database(page, app_server):
    url, db = app_server
    goto(page, url, "settings")
    assert page.get_by_text(str(db)).count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0


def test_creating_a_profile_in_the_sidebar_stores_it(page, app_server):
    url, db = app_server
    goto(page, url)
    page.get_by_role("button", name="New profile").click()
    page.get_by_label("Name").fill("E2E")
    page.get_by_label("Name").press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Create").click()
    wait_idle(page)
    assert ("E2E",) in stored(db, "SELECT name FROM profiles")


def test_counting_checkpoint_is_answered_by_keyboard_and_stored(page, app_server):
    url, db = app_server
    goto(page, url, "counting")
    page.get_by_role("button", name="New round").wait_for()
    for _ in range(3):  # the shortcut listens once the page has hydrated: retry the key
        page.keyboard.press("n")  # "New round" shortcut
        wait_idle(page)
        if page.locator("[data-cards]").count():
            break
        page.wait_for_timeout(1000)
    page.wait_for_selector("[data-done='1']", timeout=60_000)  # the flash finished
    box = page.get_by_label("Running count")
    box.click()
    box.fill("0")
    box.press("Enter")
    wait_idle(page)
    page.wait_for_selector("[data-testid='stAlert']", timeout=30_000)
    rows = stored(db, "SELECT drill, answer, response_ms FROM drill_attempts")
    assert rows and rows[-1][0] == "count-running" and rows[-1][1] == "0"


def test_strategy_drill_is_answered_by_keyboard_and_stored(page, app_server):
    url, db = app_server
    goto(page, url, "blackjack_strategy")
    page.wait_for_selector("text=Keys: H hit", timeout=60_000)
    page.wait_for_timeout(1000)  # shortcuts listen once the page has hydrated
    before = len(stored(db, "SELECT id FROM drill_attempts WHERE drill = 'bj-strategy'"))
    page.keyboard.press("s")
    wait_idle(page)
    page.wait_for_selector("[data-testid='stAlert']", timeout=30_000)
    rows = stored(db, "SELECT answer, ev_loss, response_ms FROM drill_attempts "
                      "WHERE drill = 'bj-strategy' ORDER BY id")  # fmt: skip
    assert len(rows) == before + 1 and rows[-1][0] == "stand"
    assert rows[-1][1] >= 0 and rows[-1][2] > 0
    page.keyboard.press("r")  # surrender: R is Streamlit's rerun key, bound to the button
    wait_idle(page)
    page.wait_for_timeout(500)
    rows = stored(db, "SELECT answer FROM drill_attempts WHERE drill = 'bj-strategy'")
    assert rows[-1][0] == "surrender"
    assert page.locator("[data-testid='stException']").count() == 0


def test_poker_equity_estimate_is_typed_and_stored(page, app_server):
    url, db = app_server
    answer_equity_estimate(page, url, "50")
    rows = stored(db, "SELECT answer FROM drill_attempts WHERE drill = 'poker-equity'")
    assert rows and rows[-1][0] == "50"


def test_pot_odds_call_is_answered_with_c(page, app_server):
    url, db = app_server
    goto(page, url, "poker_drills")
    page.get_by_text("pot odds", exact=True).click()
    wait_idle(page)
    page.wait_for_selector("text=Keys: C call", timeout=60_000)
    page.wait_for_timeout(1000)  # the key binding script runs once the page has hydrated
    page.keyboard.press("c")  # C is Streamlit's clear-cache key, bound to Call here
    wait_idle(page)
    page.wait_for_selector("[data-testid='stAlert']", timeout=30_000)
    rows = stored(db, "SELECT answer FROM drill_attempts WHERE drill = 'poker-pot-odds'")
    assert rows and rows[-1][0] == "call"


def test_big_blind_calls_a_push_with_c(page, app_server):
    url, db = app_server
    goto(page, url, "poker_drills")
    page.get_by_text("push/fold", exact=True).click()
    wait_idle(page)
    page.wait_for_selector("text=heads-up", timeout=120_000)  # the equilibrium is solved
    for _ in range(20):  # spots come from both blinds at random: fold SB ones away
        wait_idle(page)
        if page.get_by_text("You are in the big blind").count():
            break
        page.keyboard.press("f")
        page.wait_for_timeout(300)
    else:
        pytest.fail("no big blind spot in 20 deals")
    page.wait_for_timeout(1000)  # the key binding script runs once the page has hydrated
    page.keyboard.press("c")
    wait_idle(page)
    page.wait_for_selector("text=in the BB at", timeout=30_000)
    rows = stored(db, "SELECT answer, situation FROM drill_attempts"
                      " WHERE drill = 'poker-push-fold' ORDER BY id")  # fmt: skip
    assert rows[-1][0] == "call" and '"position": "BB"' in rows[-1][1]


def test_clicking_the_range_grid_edits_the_range_text(page, app_server):
    url, _ = app_server
    goto(page, url, "equity_lab")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .nsewdrag", timeout=30_000)
    box = page.locator("[data-testid='stPlotlyChart'] .nsewdrag").first.bounding_box()

    def click(row, col):  # the squares sit at 0..12 on axes spanning -0.55..12.55
        page.mouse.click(box["x"] + box["width"] * (col + 0.55) / 13.1,
                         box["y"] + box["height"] * (row + 0.55) / 13.1)  # fmt: skip
        page.wait_for_timeout(800)
        wait_idle(page)

    click(0, 2)  # AQs joins player 1's exact combo
    assert page.get_by_label("Player 1").input_value() == "AhKh, AQs"
    click(0, 2)  # and a second click takes it out again
    assert page.get_by_label("Player 1").input_value() == "AhKh"
    assert page.locator("[data-testid='stException']").count() == 0


def test_equity_lab_computes_the_default_matchup(page, app_server):
    url, _ = app_server
    goto(page, url, "equity_lab")
    page.get_by_role("button", name="Compute equity").click()
    wait_idle(page)
    page.wait_for_selector("text=Results", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


def test_every_page_renders_without_a_traceback(page, app_server):
    url, _ = app_server
    for path in ("", "blackjack_strategy", "counting", "poker_drills", "equity_lab",
                 "settings"):  # fmt: skip
        goto(page, url, path)
        assert page.locator("[data-testid='stException']").count() == 0, path


def test_health_and_metrics_report_the_answers_stored(page, app_server):
    """/healthz and /metrics beside the app count what the database holds."""
    import urllib.request

    from engine.store import Attempt, SqliteStore

    url, db = app_server
    with SqliteStore(db) as store:
        sid = store.start_session(store.default_profile().id, "poker")
        store.record_attempts(sid, [Attempt("pot_odds", {}, "call", "fold", False, 0.5, 900)] * 3)
    with urllib.request.urlopen(f"{url}/healthz", timeout=10) as r:
        assert r.status == 200
        body = r.read().decode()
    assert '"status":"ok"' in body and str(db) in body
    stored_n = stored(db, "SELECT COUNT(*) FROM drill_attempts")[0][0]
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as r:
        text = r.read().decode()
    assert "felt_database_up 1" in text
    counted = sum(
        int(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("felt_drill_attempts{")
    )
    assert stored_n >= 3 and counted == stored_n
    assert 'felt_http_requests_total{method="GET",code="2xx"}' in text
