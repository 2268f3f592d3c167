"""The real app in headless Chromium: every page renders, drills answer by keyboard and store."""

import sqlite3

import pytest

from tests.e2e.conftest import goto, wait_idle

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
