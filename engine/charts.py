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
    "hand_class_labels",
    "range_grid_figure",
    "range_picker_figure",
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


def hand_class_labels() -> list[list[str]]:
    """Class names in the 13x13 layout: pairs on the diagonal, suited above, offsuit below.

    >>> labels = hand_class_labels(); labels[0][0], labels[0][1], labels[1][0], labels[12][12]
    ('AA', 'AKs', 'AKo', '22')
    """
    return [
        [
            RANKS[i] + RANKS[j] + ("" if i == j else "s") if j >= i else RANKS[j] + RANKS[i] + "o"
            for j in range(13)
        ]
        for i in range(13)
    ]


def range_picker_figure(grid: np.ndarray) -> go.Figure:
    """The 13x13 grid as 169 clickable squares (a scatter: Streamlit reports a click on a
    scatter point, not on a heatmap cell), each labelled with its class, filled by its weight.

    Point ``13 * row + col`` is the cell ``(row, col)``.

    >>> fig = range_picker_figure(np.eye(13))
    >>> len(fig.data[0].x), fig.data[0].text[1], fig.data[0].customdata[14]
    (169, 'AKs', 'KK')
    """
    g = np.clip(np.asarray(grid, dtype=float), 0.0, 1.0).reshape(-1)
    labels = [name for row in hand_class_labels() for name in row]
    fig = go.Figure(
        go.Scatter(
            x=[k % 13 for k in range(169)],
            y=[k // 13 for k in range(169)],
            mode="markers+text",
            text=labels,
            customdata=labels,
            textfont={"size": 10, "color": ["#102a1d" if w >= 0.5 else CREAM for w in g]},
            marker={
                "symbol": "square",
                "size": 30,
                "color": g,
                "cmin": 0,
                "cmax": 1,
                "colorscale": [[0, "#1c4a33"], [1, BRASS]],
                "line": {"width": 0},
            },
            hovertemplate="%{text}: %{marker.color:.0%}<extra></extra>",
            # a click selects a point; keep every cell as it was (the editor redraws)
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
        )
    )
    fig.update_xaxes(visible=False, range=[-0.55, 12.55], fixedrange=True)
    fig.update_yaxes(visible=False, range=[12.55, -0.55], fixedrange=True)
    _layout(fig, height=440, showlegend=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def range_grid_figure(grid: np.ndarray, title: str = "") -> go.Figure:
    """The 13x13 hand grid (pairs on the diagonal, suited above, offsuit below) as a heatmap.

    >>> fig = range_grid_figure(np.eye(13))
    >>> fig.data[0].text[0][0], fig.data[0].text[0][1], fig.data[0].text[1][0]
    ('AA', 'AKs', 'AKo')
    """
    labels = hand_class_labels()
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
