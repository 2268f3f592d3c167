"""The equity lab's clickable grid: a click adds a class or takes it out, and leaves the
combos of every other cell exactly as the player wrote them."""

import pytest

from engine.charts import range_picker_figure
from engine.errors import RangeError
from engine.poker import parse_range
from ui.ranges import _picked, toggled


def test_a_click_adds_a_whole_class_and_keeps_exact_combos_elsewhere():
    text = toggled("AhKh, QQ", [(0, 2)])
    assert parse_range(text) == parse_range("AhKh, QQ, AQs")


def test_a_click_on_a_class_already_in_takes_it_out():
    assert parse_range(toggled("QQ+, AKs", [(1, 1)])) == parse_range("AA, QQ, AKs")


def test_a_partial_class_clicked_is_filled_rather_than_removed():
    # AhKh is a quarter of AKs: the click completes the class
    assert parse_range(toggled("AhKh", [(0, 1)])) == parse_range("AKs")


def test_taking_out_the_last_class_leaves_an_empty_text():
    assert toggled("AKs", [(0, 1)]) == ""


def test_an_unreadable_range_starts_the_grid_afresh():
    assert parse_range(toggled("AK+?!", [(12, 12)])) == parse_range("22")


def test_with_cells_checks_its_inputs():
    r = parse_range("AA")
    with pytest.raises(RangeError, match="outside the 13x13 grid"):
        r.with_cells([(13, 0)], 1.0)
    with pytest.raises(RangeError, match="between 0 and 1"):
        r.with_cells([(0, 0)], 2.0)


def test_chart_points_map_back_to_their_cells():
    fig = range_picker_figure(parse_range("AKs").grid())
    labels = list(fig.data[0].customdata)
    event = {"selection": {"points": [{"point_index": labels.index("AKo")}]}}
    assert _picked(event) == [(1, 0)]
    assert _picked({"selection": {"points": []}}) == [] and _picked(None) == []
