"""Plotly figure builders for the pages: pure functions from numbers to figures.

Colours follow the app theme (felt green, brass, cream) and stay readable on its dark
background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

__all__ = [
    "action_values_figure",
    "equity_figure",
    "range_grid_figure",
]

BRASS = "#e0b243"
CREAM = "#f5f0e1"
RED = "#d9534f"
MUTED = "#6f8f7e"
GRID = "rgba(245,240,225,0.15)"
NAMES = {"hit": "Hit", "stand": "Stand", "double": "Double", "split": "Split",
         "surrender": "Surrender"}  # fmt: skip


def _layout(fig: go.Figure, **kw: object) -> go.Figure:
    fig.update_layout(
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"color": CREAM},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        **kw,
    )
    fig.update_xaxes(gridcolor=GRID, zerolinecolor=GRID)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID)
    return fig


def action_values_figure(
    values: Mapping[str, float], best: str, answer: str | None = None, title: str = ""
) -> go.Figure:
    """Horizontal bars of each allowed action's EV (bets): best in brass, a wrong answer red.

    >>> fig = action_values_figure({"hit": -0.53, "stand": -0.54}, "hit", "stand")
    >>> list(fig.data[0].y), fig.data[0].marker.color[1]
    (['Hit', 'Stand'], '#d9534f')
    """
    keys = sorted(values, key=values.__getitem__, reverse=True)
    colors = [BRASS if k == best else RED if k == answer else MUTED for k in keys]
    fig = go.Figure(
        go.Bar(
            x=[float(values[k]) for k in keys],
            y=[NAMES.get(k, k) for k in keys],
            orientation="h",
            marker={"color": colors},
            text=[f"{values[k]:+.3f}" for k in keys],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:+.4f} bets<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title=title or "Expected value per initial bet", height=80 + 42 * len(keys))


def equity_figure(labels: Sequence[str], win: Sequence[float], tie: Sequence[float]) -> go.Figure:
    """Stacked bars of win and tie share per player (equity = win + tie share).

    >>> fig = equity_figure(["AhKh", "QsQd"], [0.46, 0.54], [0.004, 0.004])
    >>> [t.name for t in fig.data]
    ['win', 'tie']
    """
    fig = go.Figure(
        [
            go.Bar(name="win", x=list(labels), y=[100 * w for w in win], marker_color=BRASS),
            go.Bar(name="tie", x=list(labels), y=[100 * t for t in tie], marker_color=MUTED),
        ]
    )
    fig.update_yaxes(title="% of boards", range=[0, 100])
    return _layout(fig, barmode="stack", height=320, title="Win and tie")


RANKS = "AKQJT98765432"


def range_grid_figure(grid: np.ndarray, title: str = "") -> go.Figure:
    """The 13x13 hand grid (pairs on the diagonal, suited above, offsuit below) as a heatmap.

    >>> fig = range_grid_figure(np.eye(13))
    >>> fig.data[0].text[0][0], fig.data[0].text[0][1], fig.data[0].text[1][0]
    ('AA', 'AKs', 'AKo')
    """
    labels = [
        [
            RANKS[i] + RANKS[j] + ("" if i == j else "s" if j > i else "o")
            if j >= i
            else RANKS[j] + RANKS[i] + "o"
            for j in range(13)
        ]
        for i in range(13)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=np.asarray(grid, dtype=float),
            text=labels,
            texttemplate="%{text}",
            colorscale=[[0, "#123524"], [1, BRASS]],
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="%{text}: %{z:.0%}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed")
    return _layout(fig, height=420, title=title)
