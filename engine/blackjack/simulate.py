"""Blackjack simulation: what a game, a count and a bet ramp earn, and how much they swing.

:func:`simulate` deals real shoes (cut card at ``penetration``, optional burn card), seats
``seats`` players (we sit at ``seat``; the others play basic strategy and eat cards), counts
every card as it is seen (the hole card when it is turned over) and plays our hand by
basic strategy or basic strategy plus the count's index plays. Bets follow a ramp keyed by
the rounded true count (running count for unbalanced systems). Results are in units of the
minimum bet.

The work is split into independent chunks, each seeded from ``seed`` through
``numpy.random.SeedSequence`` so a seeded run is reproducible whatever runs it; chunks run
on all cores in threads (the compiled kernel releases the GIL) or on a Dask cluster
(``runner=dask.distributed.Client``).

>>> from engine.blackjack.rules import Rules
>>> from engine.blackjack.simulate import demo_chart
>>> r = simulate(Rules(), 20_000, seed=1, chart=demo_chart())
>>> r.hands, -0.1 < r.ev_per_hand < 0  # a dealer-mimicking chart loses about 5%
(20000, True)
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.blackjack import _sim_kernel as K
from engine.blackjack.counting import count_system
from engine.blackjack.indices import UP_CARDS, IndexPlay, index_plays
from engine.blackjack.rules import Rules
from engine.errors import RulesError

__all__ = [
    "SessionStats",
    "SimResult",
    "chart_tables",
    "parse_ramp",
    "simulate",
]

_CODES = {"H": K.H, "S": K.S, "D": K.D, "Ds": K.DS, "P": K.P, "Rh": K.RH, "Rs": K.RS, "Rp": K.RP}
_LETTERS = {v: k for k, v in _CODES.items()}
ESTIMATES = {"exact": 0, "full": 1, "half": 2, "quarter": 3}
ROUNDINGS = {"floor": 0, "truncate": 1, "round": 2}
CHUNK_MAX = 1_000_000


@dataclass(frozen=True)
class SessionStats:
    """Distribution of the result of sessions of ``hands`` rounds (units of the minimum bet).

    ``worst`` quantiles are of the lowest point a session's running result reached, the
    drawdown that a session bankroll must cover.
    """

    hands: int
    count: int
    mean: float
    sd: float
    percentiles: dict[str, float]
    p_loss: float
    histogram: dict[str, list[float]]
    worst_percentiles: dict[str, float]
    results: np.ndarray = field(repr=False, compare=False)
    lows: np.ndarray = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able summary (no raw arrays)."""
        return {
            "hands": self.hands,
            "sessions": self.count,
            "mean": self.mean,
            "sd": self.sd,
            "percentiles": self.percentiles,
            "p_loss": self.p_loss,
            "worst_percentiles": self.worst_percentiles,
            "histogram": self.histogram,
        }


@dataclass(frozen=True)
class SimResult:
    """What a simulation measured; money in units of the minimum bet, per round played.

    ``ev_per_hand`` and ``sd_per_hand`` are per round we bet on (splits and doubles inside
    it); ``edge`` is the result per unit of initial bet; ``n0`` = (sd/ev)^2 rounds to
    overcome one standard deviation; ``score`` = 1e6 (ev/sd)^2 (SCORE, the win rate per 100
    rounds of an optimally bet 10,000-unit bankroll; 0 when ev <= 0). ``by_count`` maps the
    rounded betting count to (fraction of rounds, ev per round at that count).
    """

    hands: int
    ev_per_hand: float
    sd_per_hand: float
    ev_ci95: tuple[float, float]
    win_rate_per_100: float
    n0: float
    score: float
    average_bet: float
    edge: float
    rounds_dealt: int
    by_count: dict[int, tuple[float, float]]
    sessions: SessionStats | None
    seed: int
    cancelled: bool = False

    @property
    def stderr(self) -> float:
        """Standard error of ``ev_per_hand``."""
        return self.sd_per_hand / math.sqrt(self.hands) if self.hands else math.inf

    def as_dict(self) -> dict[str, Any]:
        """JSON-able summary."""
        return {
            "hands": self.hands,
            "ev_per_hand": self.ev_per_hand,
            "sd_per_hand": self.sd_per_hand,
            "ev_ci95": list(self.ev_ci95),
            "stderr": self.stderr,
            "win_rate_per_100": self.win_rate_per_100,
            "n0": self.n0,
            "score": self.score,
            "average_bet": self.average_bet,
            "edge": self.edge,
            "rounds_dealt": self.rounds_dealt,
            "by_count": {str(k): list(v) for k, v in self.by_count.items()},
            "sessions": None if self.sessions is None else self.sessions.as_dict(),
            "seed": self.seed,
            "cancelled": self.cancelled,
        }


def parse_ramp(ramp: Mapping[float, float] | str | None) -> dict[int, float] | None:
    """A bet ramp ``{count: units}`` from a mapping or text ``"1:1,2:4,3:8,4:12"``.

    At a rounded count the bet is the units of the largest key at or below it; below the
    lowest key it is the lowest key's units.

    >>> parse_ramp("1:1, 2:4, 3:8")
    {1: 1.0, 2: 4.0, 3: 8.0}
    """
    if ramp is None:
        return None
    if isinstance(ramp, str):
        items = []
        for part in ramp.replace(";", ",").split(","):
            if not part.strip():
                continue
            if ":" not in part:
                raise RulesError(f"bad ramp step {part.strip()!r}: expected count:units like '2:4'")
            k, v = part.split(":", 1)
            try:
                items.append((float(k), float(v)))
            except ValueError:
                raise RulesError(
                    f"bad ramp step {part.strip()!r}: expected numbers like '2:4'"
                ) from None
    else:
        try:
            items = [(float(k), float(v)) for k, v in dict(ramp).items()]
        except (TypeError, ValueError):
            raise RulesError(f"a ramp maps counts to units, got {ramp!r}") from None
    if not items:
        raise RulesError("the bet ramp is empty: give steps like '1:1,2:4' or None for flat")
    out: dict[int, float] = {}
    for k, v in sorted(items):
        if not k.is_integer():
            raise RulesError(f"ramp counts must be whole numbers, got {k:g}")
        if not v > 0 or not math.isfinite(v):
            raise RulesError(f"ramp bets must be positive units, got {v:g} at count {k:g}")
        out[int(k)] = v
    return out


def _bets(ramp: dict[int, float] | None) -> np.ndarray:
    bets = np.ones(K.NLAYERS + 1, dtype=np.float64)
    if ramp is None:
        return bets
    keys = sorted(ramp)
    for layer in range(K.NLAYERS):
        count = layer - K.BMAX
        below = [k for k in keys if k <= count]
        bets[layer] = ramp[below[-1]] if below else ramp[keys[0]]
    bets[K.NLAYERS] = ramp[keys[0]]
    return bets


def chart_tables(chart: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kernel tables (hard, soft, pair) from a basic-strategy chart.

    ``chart``: the DataFrame of ``basic_strategy(rules)`` or a mapping of its row labels
    ("hard 5".."hard 21", "soft 13".."soft 21", "pair 2,2".."pair A,A") to 10 codes for dealer
    2..9, T, A.
    """
    if hasattr(chart, "index") and hasattr(chart, "loc"):
        cols = [str(c) for c in chart.columns]
        if cols != list(UP_CARDS):
            raise RulesError(f"chart columns must be {list(UP_CARDS)}, got {cols}")
        rows = {str(label): [str(x) for x in chart.loc[label].tolist()] for label in chart.index}
    else:
        rows = {str(k): [str(x) for x in v] for k, v in dict(chart).items()}
    hard = np.full((22, 10), K.H, dtype=np.int8)
    soft = np.full((22, 10), K.S, dtype=np.int8)
    pair = np.full((10, 10), K.H, dtype=np.int8)
    hard[17:] = K.S
    seen_pairs = set()
    for label, codes in rows.items():
        if len(codes) != 10:
            raise RulesError(f"chart row {label!r} has {len(codes)} cells, expected 10")
        try:
            cells = [_CODES[c] for c in codes]
        except KeyError as exc:
            raise RulesError(f"unknown chart code {exc.args[0]!r} in row {label!r}") from None
        kind, _, rest = label.partition(" ")
        if kind == "hard" and rest.isdigit() and 4 <= int(rest) <= 21:
            hard[int(rest)] = cells
        elif kind == "soft" and rest.isdigit() and 12 <= int(rest) <= 21:
            soft[int(rest)] = cells
        elif kind == "pair" and rest.count(",") == 1:
            card = rest.split(",")[0]
            value = 1 if card == "A" else 10 if card == "T" else int(card)
            pair[value - 1] = cells
            seen_pairs.add(value)
        else:
            raise RulesError(f"unknown chart row {label!r}")
    if len(seen_pairs) != 10 or not any(k.startswith("hard") for k in rows):
        raise RulesError("the chart needs hard, soft and all ten pair rows")
    return hard, soft, pair


_SURR_OF = {K.H: K.RH, K.D: K.RH, K.S: K.RS, K.DS: K.RS, K.P: K.RP}
_MAIN_OF = {K.RH: K.H, K.RS: K.S, K.RP: K.P}


def _apply(code: int, action: str) -> int:
    """Chart code after taking ``action`` for this hand (surrender handled separately)."""
    surrender = code in _MAIN_OF
    main = _MAIN_OF.get(code, code)
    if action == "surrender":
        return _SURR_OF[main]
    if action == "no surrender":
        return main
    new = {
        "hit": {K.S: K.H, K.DS: K.D, K.H: K.H, K.D: K.H, K.P: K.H},
        "stand": {K.H: K.S, K.D: K.DS, K.S: K.S, K.DS: K.S, K.P: K.S},
        "double": {K.H: K.D, K.S: K.DS, K.D: K.D, K.DS: K.DS, K.P: K.D},
        "split": {K.H: K.P, K.S: K.P, K.D: K.P, K.DS: K.P, K.P: K.P},
    }[action][main]
    return _SURR_OF[new] if surrender else new


def _layered(
    hard: np.ndarray, soft: np.ndarray, pair: np.ndarray, plays: Sequence[IndexPlay]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = K.NLAYERS + 1
    H = np.repeat(hard[None], n, axis=0)
    S_ = np.repeat(soft[None], n, axis=0)
    P_ = np.repeat(pair[None], n, axis=0)
    insure = np.zeros(n, dtype=np.bool_)
    # surrender plays after the others so they switch only the surrender part
    for play in sorted(plays, key=lambda p: p.is_surrender):
        col = UP_CARDS.index(play.dealer)
        for layer in range(K.NLAYERS):
            action = play.action_at(layer - K.BMAX)
            if play.hand == "insurance":
                insure[layer] = action == "insurance"
                continue
            if play.is_surrender:
                action = "surrender" if action == "surrender" else "no surrender"
            kind, _, rest = play.hand.partition(" ")
            if kind == "hard":
                H[layer, int(rest), col] = _apply(int(H[layer, int(rest), col]), action)
            elif kind == "soft":
                S_[layer, int(rest), col] = _apply(int(S_[layer, int(rest), col]), action)
            else:
                card = rest.split(",")[0]
                v = 1 if card == "A" else 10 if card == "T" else int(card)
                P_[layer, v - 1, col] = _apply(int(P_[layer, v - 1, col]), action)
    return H, S_, P_, insure


def demo_chart() -> dict[str, list[str]]:
    """A small fixed chart (no engine needed) for examples: stand on 17+, hit below, split
    aces and eights: close to mimicking the dealer, which loses about 5%."""
    chart = {f"hard {t}": ["S" if t >= 17 else "H"] * 10 for t in range(5, 22)}
    chart |= {f"soft {t}": ["S" if t >= 18 else "H"] * 10 for t in range(13, 22)}
    for c in ("2", "3", "4", "5", "6", "7", "8", "9", "T", "A"):
        code = "P" if c in "A8" else "S" if c in "9T" else "H"
        chart[f"pair {c},{c}"] = [code] * 10
    return chart


def _basic_chart(rules: Rules) -> Any:
    import engine.blackjack as bj  # the package imports this module: look it up when used

    basic_strategy = getattr(bj, "basic_strategy", None)
    if basic_strategy is None:
        try:
            from engine.blackjack.strategy import basic_strategy
        except ImportError:
            raise RulesError(
                "basic_strategy() is not available in this installation: pass chart="
            ) from None
    return basic_strategy(rules)


@dataclass(frozen=True)
class _Job:
    ip: np.ndarray
    fp: np.ndarray
    tags: np.ndarray
    values: np.ndarray
    comp: np.ndarray
    hard: np.ndarray
    soft: np.ndarray
    pair: np.ndarray
    insure: np.ndarray
    bets: np.ndarray


def _run_chunk(job: _Job, hands: int, seed: np.uint64) -> tuple[np.ndarray, ...]:
    out = np.zeros(K.NOUT, dtype=np.float64)
    n = np.zeros(K.NLAYERS + 1, dtype=np.int64)
    s = np.zeros(K.NLAYERS + 1, dtype=np.float64)
    sess_len = int(job.ip[K.P_SESSION])
    m = hands // sess_len + 1 if sess_len else 0
    res = np.zeros(m, dtype=np.float64)
    low = np.zeros(m, dtype=np.float64)
    seats = int(job.ip[K.P_SEATS])
    K.run_chunk(
        job.ip,
        job.fp,
        job.tags,
        job.values,
        job.comp,
        job.hard,
        job.soft,
        job.pair,
        job.insure,
        job.bets,
        hands,
        seed,
        out,
        n,
        s,
        res,
        low,
        np.zeros(int(job.comp.sum()), dtype=np.int64),
        np.zeros(5, dtype=np.int64),
        np.zeros(1, dtype=np.float64),
        np.zeros((5, seats), dtype=np.int64),
        np.zeros((6, seats, 4), dtype=np.int64),
        np.zeros((seats, 4), dtype=np.float64),
    )
    k = int(out[K.O_SESSIONS])
    return out, n, s, res[:k], low[:k]


def _chunks(hands: int, multiple: int = 0) -> list[int]:
    """Chunk sizes: a function of ``hands`` only, so a seed reproduces on any machine.

    With sessions, every chunk but the last is a whole number of sessions.
    """
    size = CHUNK_MAX if hands >= 8 * CHUNK_MAX else max(25_000, -(-hands // 8))
    if multiple:
        size = -(-size // multiple) * multiple
    sizes = [size] * (hands // size)
    if hands % size:
        sizes.append(hands % size)
    return sizes


def _build_job(
    rules: Rules,
    strategy: str,
    count: str,
    ramp: Any,
    penetration: float | None,
    seats: int,
    seat: int,
    chart: Any,
    plays: Sequence[IndexPlay] | None,
    burn: int,
    estimate: str,
    rounding: str,
    wong_in: float | None,
    wong_out: float | None,
    session_hands: int,
) -> _Job:
    cs = count_system(count)
    bets = _bets(parse_ramp(ramp))
    if strategy not in ("basic", "indices"):
        raise RulesError(f"strategy must be 'basic' or 'indices', got {strategy!r}")
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= 7:
        raise RulesError(f"seats must be 1 to 7 players at the table, got {seats!r}")
    if isinstance(seat, bool) or not isinstance(seat, int) or not 1 <= seat <= seats:
        raise RulesError(f"seat must be 1 (first base) to {seats}, got {seat!r}")
    if penetration is not None and not 0.05 <= penetration < 1:
        raise RulesError(
            f"penetration must be a fraction from 0.05 to below 1, got {penetration!r}"
        )
    if estimate not in ESTIMATES:
        raise RulesError(f"estimate must be one of {', '.join(ESTIMATES)}, got {estimate!r}")
    if rounding not in ROUNDINGS:
        raise RulesError(f"rounding must be one of {', '.join(ROUNDINGS)}, got {rounding!r}")
    if not isinstance(burn, int) or not 0 <= burn <= 10:
        raise RulesError(f"burn must be 0 to 10 cards, got {burn!r}")
    if not isinstance(session_hands, int) or session_hands < 0:
        raise RulesError(f"session_hands must be a whole number >= 0, got {session_hands!r}")
    if wong_in is not None and wong_out is not None and wong_out > wong_in:
        raise RulesError(f"wong out ({wong_out}) must not be above wong in ({wong_in})")
    hard, soft, pair = chart_tables(_basic_chart(rules) if chart is None else chart)
    if plays is None:
        plays = index_plays(rules, cs.name) if strategy == "indices" else ()
        if strategy == "indices" and not plays:  # no published table: Felt computes one
            from engine.blackjack.indices import generate_table

            generated = (g.as_play() for g in generate_table(rules, cs.name))
            plays = tuple(p for p in generated if p is not None)
    elif strategy == "basic":
        plays = ()
    H, S_, P_, insure = _layered(hard, soft, pair, plays)
    ncards = 52 * rules.decks
    ip = np.zeros(K.NIP, dtype=np.int64)
    ip[K.P_DECKS] = rules.decks
    ip[K.P_H17] = int(rules.hit_soft_17)
    ip[K.P_DAS] = int(rules.double_after_split)
    ip[K.P_DOUBLE_ON] = ("any2", "9-11", "10-11").index(rules.double_on)
    ip[K.P_SURRENDER] = ("none", "late", "early").index(rules.surrender)
    ip[K.P_MAX_HANDS] = rules.max_hands
    ip[K.P_RSA] = int(rules.resplit_aces)
    ip[K.P_HSA] = int(rules.hit_split_aces)
    ip[K.P_PEEK] = int(rules.dealer_peeks)
    ip[K.P_SEATS] = seats
    ip[K.P_SEAT] = seat - 1
    ip[K.P_CUT] = 0 if penetration is None else max(1, round(penetration * ncards))
    ip[K.P_BURN] = burn
    ip[K.P_BALANCED] = int(cs.balanced)
    ip[K.P_ESTIMATE] = ESTIMATES[estimate]
    ip[K.P_ROUNDING] = ROUNDINGS[rounding]
    ip[K.P_WONG_IN] = int(wong_in is not None)
    ip[K.P_WONG_OUT] = int(wong_out is not None)
    ip[K.P_SESSION] = session_hands
    ip[K.P_PLAYS] = int(bool(plays))
    fp = np.zeros(K.NFP, dtype=np.float64)
    fp[K.F_BJ_PAYS] = rules.blackjack_pays
    fp[K.F_IRC] = cs.initial_running_count(rules.decks)
    fp[K.F_ACE_WEIGHT] = cs.ace_side_weight
    fp[K.F_WONG_IN] = 0.0 if wong_in is None else wong_in
    fp[K.F_WONG_OUT] = 0.0 if wong_out is None else wong_out
    tags = np.array([*cs.tags, cs.tag(7, red=True) if cs.red7_tag is not None else cs.tags[6]])
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 7], dtype=np.int64)
    d = rules.decks
    comp = np.array([4 * d] * 9 + [16 * d, 0], dtype=np.int64)
    comp[6] = 2 * d  # black sevens; red sevens are code 10 (the same card unless Red 7)
    comp[10] = 2 * d
    return _Job(ip, fp, tags.astype(np.float64), values, comp, H, S_, P_, insure, bets)


def simulate(
    rules: Rules | str,
    hands: int | float,
    *,
    strategy: str = "basic",
    count: str = "hilo",
    ramp: Mapping[float, float] | str | None = None,
    penetration: float | None = 0.75,
    seats: int = 1,
    seed: int | None = None,
    progress: Callable[[int, int], object] | None = None,
    seat: int = 1,
    burn: int = 1,
    estimate: str = "exact",
    rounding: str = "floor",
    wong_in: float | None = None,
    wong_out: float | None = None,
    session_hands: int = 100,
    chart: Any = None,
    plays: Sequence[IndexPlay] | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
    runner: Any = None,
) -> SimResult:
    """Simulate ``hands`` rounds of our play and measure what they earn.

    ``strategy``: "basic" (the chart for these rules) or "indices" (basic plus the count's
    index plays, :func:`engine.blackjack.indices.index_plays`; for rules or balanced counts
    without a published table Felt computes the Illustrious 18 / Fab 4 hands first, which
    takes a minute). ``count``: the count system
    (:data:`engine.blackjack.counting.SYSTEMS`). ``ramp``: ``{count: units}`` or text
    ``"1:1,2:4,3:8"`` (see :func:`parse_ramp`), None = flat one unit. ``penetration``: the
    fraction dealt before the cut card; None reshuffles after every round. ``seats``: players
    at the table (1-7), we sit at ``seat`` (1 = first base); the others play basic strategy.
    ``burn``: cards burned face down after each shuffle. ``estimate``/``rounding``: how the
    true count is taken (decks remaining exact or to the full/half/quarter deck; floor,
    truncate or round). ``wong_in``: join only when the count reaches it (back-counting);
    ``wong_out``: leave when it drops below, until the count reaches ``wong_in`` again (or
    the next shoe); while we sit out, our spot is played by a basic-strategy player, so the
    cards still come out. ``session_hands``: size of the sessions whose results are
    collected (0: none). ``chart``/``plays``: override the basic chart and index plays.
    ``progress(done, total)`` is called after each chunk; returning False, or setting
    ``cancel``, stops the run and returns what was simulated (``cancelled=True``).
    ``workers``: threads (default: every core); ``runner``: a ``dask.distributed.Client``
    to run the chunks on a Dask cluster instead.
    """
    if isinstance(rules, str):
        rules = Rules.parse(rules)
    if not isinstance(rules, Rules):
        raise RulesError(f"expected Rules or a description such as '6D S17 DAS LS', got {rules!r}")
    if isinstance(hands, bool) or not isinstance(hands, int | float) or not hands >= 1:
        raise RulesError(f"hands must be a positive number, got {hands!r}")
    if float(hands) != int(hands) or hands > 1e11:
        raise RulesError(f"hands must be a whole number up to 1e11, got {hands!r}")
    hands = int(hands)
    job = _build_job(
        rules,
        strategy,
        count,
        ramp,
        penetration,
        seats,
        seat,
        chart,
        plays,
        burn,
        estimate,
        rounding,
        wong_in,
        wong_out,
        session_hands,
    )
    if (wong_in is not None or wong_out is not None) and penetration is None:
        raise RulesError("wonging needs a shoe game: give a penetration, not None")
    sizes = _chunks(hands, session_hands)
    ss = np.random.SeedSequence(seed)
    seeds = [c.generate_state(1, dtype=np.uint64)[0] for c in ss.spawn(len(sizes))]
    if runner is not None:
        parts, cancelled = _run_dask(runner, job, sizes, seeds, progress, cancel, hands)
    else:
        parts, cancelled = _run_threads(job, sizes, seeds, progress, cancel, hands, workers)
    return _combine(parts, session_hands, int(ss.entropy), cancelled)


def _wants_stop(progress, cancel, done: int, total: int) -> bool:
    stop = False
    if progress is not None and progress(done, total) is False:
        stop = True
    return stop or (cancel is not None and cancel.is_set())


def _run_threads(job, sizes, seeds, progress, cancel, hands, workers):
    workers = workers or os.cpu_count() or 1
    parts: dict[int, tuple] = {}
    cancelled = False
    done = 0
    if cancel is not None and cancel.is_set():
        return [], True
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: dict[Future, int] = {}
        queue = list(range(len(sizes)))
        while queue or pending:
            while queue and len(pending) < workers and not cancelled:
                i = queue.pop(0)
                pending[pool.submit(_run_chunk, job, sizes[i], seeds[i])] = i
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = pending.pop(fut)
                parts[i] = fut.result()
                done += sizes[i]
                if not cancelled and _wants_stop(progress, cancel, done, hands):
                    cancelled = True
                    queue.clear()
    return [parts[i] for i in sorted(parts)], cancelled


def _run_dask(client, job, sizes, seeds, progress, cancel, hands):
    from dask.distributed import as_completed  # optional dependency, imported when used

    futures = client.map(_run_chunk, [job] * len(sizes), sizes, seeds, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    parts: dict[int, tuple] = {}
    done = 0
    cancelled = False
    for fut in as_completed(futures):
        i = index[fut.key]
        parts[i] = fut.result()
        done += sizes[i]
        if _wants_stop(progress, cancel, done, hands):
            cancelled = True
            client.cancel([f for f in futures if not f.done()])
            break
    return [parts[i] for i in sorted(parts)], cancelled


def _quantiles(x: np.ndarray) -> dict[str, float]:
    qs = (1, 5, 10, 25, 50, 75, 90, 95, 99)
    if x.size == 0:
        return {}
    return {f"p{q}": float(v) for q, v in zip(qs, np.percentile(x, qs), strict=True)}


def _combine(parts, session_hands: int, seed: int, cancelled: bool) -> SimResult:
    out = np.zeros(K.NOUT)
    by_n = np.zeros(K.NLAYERS + 1, dtype=np.int64)
    by_s = np.zeros(K.NLAYERS + 1)
    for o, n, s, _, _ in parts:
        out += o
        by_n += n
        by_s += s
    n = int(out[K.O_HANDS])
    if n == 0:
        nan = float("nan")
        return SimResult(0, nan, nan, (nan, nan), nan, nan, 0.0, nan, nan, 0, {}, None, seed, True)
    ev = out[K.O_SUM] / n
    var = max(out[K.O_SUMSQ] / n - ev * ev, 0.0) * n / max(n - 1, 1)
    sd = math.sqrt(var)
    half = 1.959964 * sd / math.sqrt(n)
    by_count = {
        layer - K.BMAX: (float(by_n[layer] / n), float(by_s[layer] / by_n[layer]))
        for layer in range(K.NLAYERS)
        if by_n[layer]
    }
    sessions = None
    if session_hands:
        res = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0)
        low = np.concatenate([p[4] for p in parts]) if parts else np.zeros(0)
        if res.size:
            counts, edges = np.histogram(res, bins=min(50, max(5, int(res.size**0.5))))
            sessions = SessionStats(
                hands=session_hands,
                count=int(res.size),
                mean=float(res.mean()),
                sd=float(res.std(ddof=1)) if res.size > 1 else 0.0,
                percentiles=_quantiles(res),
                p_loss=float((res < 0).mean()),
                histogram={"edges": edges.tolist(), "counts": counts.astype(float).tolist()},
                worst_percentiles=_quantiles(low),
                results=res,
                lows=low,
            )
    return SimResult(
        hands=n,
        ev_per_hand=float(ev),
        sd_per_hand=sd,
        ev_ci95=(float(ev - half), float(ev + half)),
        win_rate_per_100=float(100 * ev),
        n0=float(var / (ev * ev)) if ev > 0 else math.inf,
        score=float(1e6 * ev * ev / var) if ev > 0 and var > 0 else 0.0,
        average_bet=float(out[K.O_WAGER] / n),
        edge=float(out[K.O_SUM] / out[K.O_WAGER]),
        rounds_dealt=int(out[K.O_ROUNDS]),
        by_count=by_count,
        sessions=sessions,
        seed=seed,
        cancelled=cancelled,
    )
