"""Plotly figures for the analytics page, each with a one-line takeaway in words.

Builders are pure: an aggregate from ``engine.store.analytics`` in, a ``Chart`` out. A
chart without data has ``figure=None`` and a takeaway saying what to do to get some, so
the page never draws an empty frame. ``build_charts`` makes every chart from one attempts
frame (the page, the benchmark and the e2e test all call it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from engine.drills.progress import drill_name
from engine.store import analytics as an

__all__ = [
    "CHART_TITLES",
    "Chart",
    "build_charts",
    "counting_chart",
    "equity_chart",
    "leak_table",
    "mistakes_heatmap",
    "poker_ev_chart",
    "sessions_chart",
    "true_count_chart",
]

CHART_TITLES = {
    "sessions": "Accuracy and EV lost per session",
    "heatmap": "Blackjack mistakes: hand x dealer up card",
    "counting": "Counting speed and accuracy",
    "true_count": "True-count conversion error",
    "equity": "Equity estimates: calibration and error",
    "poker_ev": "Pot odds and push/fold: EV lost",
}
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
    "height": 380,
    "legend": {"orientation": "h", "y": -0.15},
}
_GAME_COLOURS = {
    "blackjack": "#2e7d32",
    "counting": "#1565c0",
    "poker": "#c62828",
    "review": "#6a1b9a",
}


@dataclass(frozen=True)
class Chart:
    """A figure (None without data) and one sentence on what it shows."""

    key: str
    title: str
    figure: go.Figure | None
    takeaway: str


def _dates(series: pd.Series) -> pd.Series:
    """ISO 8601 UTC text as naive UTC datetime64 (plotly copies these arrays cheaply; an
    array of tz-aware Timestamps is copied object by object)."""
    return pd.to_datetime(series, utc=True, format="ISO8601", errors="coerce").dt.tz_localize(None)


def sessions_chart(summary: pd.DataFrame) -> Chart:
    """Accuracy (top) and EV lost (bottom) per session, one colour per game, with the
    rolling means as lines.

    >>> sessions_chart(an.session_summary(an.frame_from_rows([]))).figure is None
    True
    """
    key, title = "sessions", CHART_TITLES["sessions"]
    if summary.empty:
        return Chart(key, title, None, "No answers in this selection yet: play a drill.")
    x = _dates(summary["started_at"]).to_numpy()
    traces = []
    for game, part in summary.groupby("game", sort=True):
        colour = _GAME_COLOURS.get(game)
        px = x[part.index.to_numpy()]
        for axis, raw, smooth in (
            ("y", "accuracy", "accuracy_rolling"),
            ("y2", "ev_lost", "ev_lost_rolling"),
        ):
            traces.append(
                {
                    "type": "scatter",
                    "x": px,
                    "y": part[raw].to_numpy(),
                    "yaxis": axis,
                    "mode": "markers",
                    "name": game,
                    "legendgroup": game,
                    "showlegend": axis == "y",
                    "marker": {"color": colour, "size": 5, "opacity": 0.45},
                }
            )
            traces.append(
                {
                    "type": "scatter",
                    "x": px,
                    "y": part[smooth].to_numpy(),
                    "yaxis": axis,
                    "mode": "lines",
                    "name": f"{game} (rolling)",
                    "legendgroup": game,
                    "showlegend": False,
                    "line": {"color": colour, "width": 2},
                }
            )
    layout = {
        **_LAYOUT,
        "height": 480,
        "yaxis": {
            "domain": [0.55, 1],
            "tickformat": ".0%",
            "range": [0, 1.02],
            "title": "accuracy",
        },
        "yaxis2": {"domain": [0, 0.45], "title": "EV lost (drill units)"},
        "xaxis": {"anchor": "y2"},
    }
    return Chart(key, title, go.Figure(traces, layout), _sessions_takeaway(summary))


def _sessions_takeaway(summary: pd.DataFrame) -> str:
    n = len(summary)
    half = max(1, n // 2)
    early, late = summary["accuracy"].iloc[:half].mean(), summary["accuracy"].iloc[half:].mean()
    if n < 4 or np.isnan(late):
        return f"{n} session(s), {summary['accuracy'].mean():.0%} correct overall."
    trend = "up" if late > early + 0.01 else "down" if late < early - 0.01 else "flat"
    return (
        f"Accuracy is {trend}: {early:.0%} in your first {half} sessions, {late:.0%} in the "
        f"last {n - half}."
    )


def mistakes_heatmap(cells: pd.DataFrame) -> Chart:
    """EV lost per player hand (rows: hard, soft, pairs) and dealer up card (columns).

    Each cell carries an invisible marker whose ``customdata`` is ``[hand, up card]``, so a
    click selects it in ``st.plotly_chart(on_select="rerun")`` (plotly heatmaps themselves
    send no click selection).
    """
    key, title = "heatmap", CHART_TITLES["heatmap"]
    if cells.empty:
        return Chart(key, title, None, "No blackjack strategy answers in this selection yet.")
    hands = list(dict.fromkeys(cells["hand"]))
    grid = cells.pivot(index="hand", columns="dealer", values="ev_lost")
    grid = grid.reindex(index=hands, columns=list(an.DEALER_ORDER))
    counts = cells.pivot(index="hand", columns="dealer", values="mistakes").reindex(
        index=hands, columns=list(an.DEALER_ORDER)
    )
    text = counts.map(lambda v: "" if pd.isna(v) or v == 0 else f"{int(v)}")
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=hands,
            colorscale="OrRd",
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorbar={"title": "EV lost"},
            hovertemplate="%{y} v %{x}<br>EV lost %{z:.3f}<br>%{text} mistakes<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=cells["dealer"],
            y=cells["hand"],
            mode="markers",
            marker={"size": 14, "opacity": 0.01, "symbol": "square"},
            customdata=cells[["hand", "dealer"]].to_numpy(),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top", title="dealer up card")
    fig.update_layout(
        **{**_LAYOUT, "height": max(380, 16 * len(hands) + 80)}, clickmode="event+select"
    )
    worst = cells.sort_values("ev_lost", ascending=False).iloc[0]
    total = cells["ev_lost"].sum()
    share = worst["ev_lost"] / total if total > 0 else 0.0
    takeaway = (
        f"Your costliest blackjack spot is {worst['hand']} v {worst['dealer']}: "
        f"{worst['mistakes']} mistake(s), {worst['ev_lost']:.2f} bets lost ({share:.0%} of all)."
        if total > 0
        else "No EV lost at the blackjack table in this selection: well played."
    )
    return Chart(key, title, fig, takeaway)


def counting_chart(progress: pd.DataFrame) -> Chart:
    """Running-count speed (cards per minute) and accuracy per session."""
    key, title = "counting", CHART_TITLES["counting"]
    if progress.empty:
        return Chart(key, title, None, "No running-count answers in this selection yet.")
    x = _dates(progress["started_at"]).to_numpy()
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": progress["cards_per_minute"].to_numpy(),
            "mode": "lines+markers",
            "name": "cards per minute",
            "line": {"color": "#1565c0"},
        },
        {
            "type": "scatter",
            "x": x,
            "y": progress["accuracy"].to_numpy(),
            "yaxis": "y2",
            "mode": "lines+markers",
            "name": "accuracy",
            "line": {"color": "#ef6c00", "dash": "dot"},
        },
    ]
    layout = {
        **_LAYOUT,
        "yaxis": {"title": "cards per minute"},
        "yaxis2": {
            "title": "accuracy",
            "tickformat": ".0%",
            "range": [0, 1.02],
            "overlaying": "y",
            "side": "right",
        },
    }
    last = progress.tail(5)
    return Chart(
        key,
        title,
        go.Figure(traces, layout),
        (
            f"Lately you count {last['cards_per_minute'].mean():.0f} cards a minute at "
            f"{last['accuracy'].mean():.0%} accuracy (last {len(last)} sessions)."
        ),
    )


def true_count_chart(errors: pd.DataFrame) -> Chart:
    """How far true-count conversions miss: a bar per signed error."""
    key, title = "true_count", CHART_TITLES["true_count"]
    if errors.empty:
        return Chart(key, title, None, "No true-count conversions in this selection yet.")
    counts = errors["error"].round(1).value_counts().sort_index()
    fig = go.Figure(
        go.Bar(
            x=counts.index,
            y=counts.to_numpy(),
            marker_color=["#2e7d32" if v == 0 else "#c62828" for v in counts.index],
        )
    )
    fig.update_xaxes(title="your true count minus the right one", dtick=1)
    fig.update_yaxes(title="answers")
    fig.update_layout(**_LAYOUT)
    mean, mae = errors["error"].mean(), errors["error"].abs().mean()
    bias = (
        "no lean either way"
        if abs(mean) < 0.05
        else f"a lean {'high' if mean > 0 else 'low'} of {abs(mean):.2f}"
    )
    exact = (errors["error"] == 0).mean()
    return Chart(
        key,
        title,
        fig,
        (f"{exact:.0%} of conversions exact; mean miss {mae:.2f} points with {bias}."),
    )


def equity_chart(errors: pd.DataFrame, calibration: pd.DataFrame) -> Chart:
    """Calibration (mean true equity per band of guesses, diagonal = calibrated) and the
    mean absolute error per session."""
    key, title = "equity", CHART_TITLES["equity"]
    if errors.empty:
        return Chart(key, title, None, "No equity estimates in this selection yet.")
    size = 8 + 22 * np.sqrt(calibration["n"].to_numpy(float) / calibration["n"].max())
    per = (
        errors.assign(abs_pp=errors["error_pp"].abs())
        .groupby("session_id", sort=True)
        .agg(started_at=("started_at", "first"), mae=("abs_pp", "mean"))
    )
    traces = [
        {
            "type": "scatter",
            "x": [0, 1],
            "y": [0, 1],
            "mode": "lines",
            "showlegend": False,
            "name": "calibrated",
            "line": {"color": "#999", "dash": "dash"},
        },
        {
            "type": "scatter",
            "x": calibration["guess"].to_numpy(),
            "y": calibration["truth"].to_numpy(),
            "mode": "markers+lines",
            "name": "your guesses",
            "marker": {"size": size, "color": "#c62828"},
            "text": calibration["bin"].tolist(),
            "hovertemplate": "guess %{x:.0%}, true %{y:.0%} (%{text})<extra></extra>",
        },
        {
            "type": "scatter",
            "x": _dates(per["started_at"]).to_numpy(),
            "y": per["mae"].to_numpy(),
            "xaxis": "x2",
            "yaxis": "y2",
            "mode": "lines+markers",
            "name": "mean miss (points)",
            "line": {"color": "#6a1b9a"},
        },
    ]
    layout = {
        **_LAYOUT,
        "xaxis": {"domain": [0, 0.45], "tickformat": ".0%", "range": [0, 1], "title": "your guess"},
        "yaxis": {"tickformat": ".0%", "range": [0, 1], "title": "true equity"},
        "xaxis2": {"domain": [0.55, 1], "anchor": "y2"},
        "yaxis2": {"anchor": "x2", "title": "mean miss (points)"},
    }
    mean = errors["error_pp"].mean()
    lean = "over" if mean > 0 else "under"
    return Chart(
        key,
        title,
        go.Figure(traces, layout),
        (
            f"Your equity guesses miss by {errors['error_pp'].abs().mean():.1f} points on average "
            f"and {lean}estimate by {abs(mean):.1f} points overall."
        ),
    )


def poker_ev_chart(ev: pd.DataFrame) -> Chart:
    """EV lost per session in the pot-odds and push/fold drills."""
    key, title = "poker_ev", CHART_TITLES["poker_ev"]
    if ev.empty:
        return Chart(key, title, None, "No pot-odds or push/fold answers in this selection yet.")
    fig = go.Figure()
    totals = []
    for drill, part in ev.groupby("drill", sort=True):
        fig.add_trace(
            go.Scatter(
                x=_dates(part["started_at"]),
                y=part["ev_lost"] / part["attempts"],
                mode="lines+markers",
                name=drill_name(drill),
            )
        )
        totals.append((part["ev_lost"].sum() / part["attempts"].sum(), drill))
    fig.update_yaxes(title="EV lost per decision")
    fig.update_layout(**_LAYOUT)
    worst, drill = max(totals)
    return Chart(
        key,
        title,
        fig,
        (f"{drill_name(drill)} costs you the most: {worst:.2f} per decision on average."),
    )


def leak_table(leaks: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The leak list for display (drill names for people) and its takeaway."""
    if leaks.empty:
        return leaks, "No mistakes in this selection: nothing leaks yet."
    table = leaks.assign(drill=leaks["drill"].map(drill_name))
    top = table.iloc[0]
    return table, (
        f"Your biggest leak is {top['spot']} ({top['drill']}): {top['mistakes']} mistake(s), "
        f"{top['ev_lost']:.2f} lost."
    )


def build_charts(frame: pd.DataFrame, window: int = 5) -> dict[str, Chart]:
    """Every chart of the analytics page from one attempts frame, keyed as CHART_TITLES.

    >>> charts = build_charts(an.frame_from_rows([]))
    >>> sorted(charts) == sorted(CHART_TITLES), charts["heatmap"].figure
    (True, None)
    """
    errors = an.equity_errors(frame)
    return {
        "sessions": sessions_chart(an.session_summary(frame, window)),
        "heatmap": mistakes_heatmap(an.blackjack_mistakes(frame)),
        "counting": counting_chart(an.counting_progress(frame)),
        "true_count": true_count_chart(an.true_count_errors(frame)),
        "equity": equity_chart(errors, an.equity_calibration(errors)),
        "poker_ev": poker_ev_chart(an.poker_ev_lost(frame)),
    }
