"""Plotly figures of the table review page: the image with its reads, equity by street."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import plotly.graph_objects as go

from engine.charts import BRASS, CREAM, GRID, MUTED, RED

__all__ = ["DOUBTFUL", "street_equity_figure", "table_figure"]

DOUBTFUL = 0.6  # reads below this confidence are flagged for the user to check
_ROLE_COLOURS = {"hero": BRASS, "player": BRASS, "board": "#5bc0de", "dealer": "#5bc0de"}


def _mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def table_figure(
    image: bytes,
    width: int,
    height: int,
    reads: Sequence[tuple[str, tuple[int, int, int, int], float, str]],
) -> go.Figure:
    """The uploaded image with a labelled box per read card (card, box, confidence, role).

    Hero/player boxes are brass, board/dealer blue, others grey; doubtful reads (confidence
    under ``DOUBTFUL``) are red and dashed with a question mark.

    >>> fig = table_figure(b"\\x89PNG...", 200, 100, [("Ah", (10, 10, 30, 40), 0.4, "hero")])
    >>> fig.layout.shapes[0].line.dash, fig.layout.annotations[0].text
    ('dash', 'Ah?')
    """
    uri = f"data:{_mime(image)};base64,{base64.b64encode(image).decode()}"
    fig = go.Figure()
    fig.add_layout_image(
        source=uri, xref="x", yref="y", x=0, y=0, sizex=width, sizey=height,
        sizing="stretch", layer="below",
    )  # fmt: skip
    for card, (x, y, w, h), confidence, role in reads:
        doubtful = confidence < DOUBTFUL
        colour = RED if doubtful else _ROLE_COLOURS.get(role, MUTED)
        fig.add_shape(
            type="rect", x0=x, y0=y, x1=x + w, y1=y + h,
            line={"color": colour, "width": 3, "dash": "dash" if doubtful else "solid"},
        )  # fmt: skip
        fig.add_annotation(
            x=x, y=y, text=card + ("?" if doubtful else ""), showarrow=False,
            xanchor="left", yanchor="bottom", font={"color": "#111", "size": 13},
            bgcolor=colour, opacity=0.95,
        )  # fmt: skip
    # an invisible trace gives the axes their extent and hover over nothing
    fig.add_trace(go.Scatter(x=[0, width], y=[0, height], mode="markers", opacity=0,
                             hoverinfo="skip", showlegend=False))  # fmt: skip
    fig.update_xaxes(range=[0, width], visible=False, constrain="domain")
    fig.update_yaxes(range=[height, 0], visible=False, scaleanchor="x")
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        height=min(720, max(200, int(height * 560 / max(width, 1)))),
    )
    return fig


def street_equity_figure(streets: Sequence[tuple[str, float]], needed: float | None = None):
    """Hero's equity after each street as a line, with the equity a call needs if given.

    >>> fig = street_equity_figure([("preflop", 0.46), ("flop", 0.3)], needed=0.25)
    >>> list(fig.data[0].x), len(fig.layout.shapes)
    (['preflop', 'flop'], 1)
    """
    names = [s for s, _ in streets]
    values = [100 * e for _, e in streets]
    fig = go.Figure(
        go.Scatter(
            x=names, y=values, mode="lines+markers+text", line={"color": BRASS, "width": 3},
            marker={"size": 10}, text=[f"{v:.1f}%" for v in values], textposition="top center",
            hovertemplate="%{x}: %{y:.2f}%<extra></extra>",
        )
    )  # fmt: skip
    if needed is not None:
        fig.add_hline(y=100 * needed, line={"color": RED, "dash": "dot"},
                      annotation_text=f"needed to call {needed:.1%}")  # fmt: skip
    fig.update_yaxes(title="hero equity %", range=[0, 105], gridcolor=GRID)
    fig.update_xaxes(gridcolor=GRID)
    fig.update_layout(
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font={"color": CREAM},
        margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=300, title="Equity by street",
    )  # fmt: skip
    return fig
