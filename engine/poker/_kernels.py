"""Compiled inner loops of the equity engine (numba, cached across processes).

Players are given as combos: ``combos`` (m, 2) card indices of every player's combos,
player ``p`` owning rows ``starts[p]:starts[p + 1]``; ``cmask`` is each combo's 52-bit card
mask. ``deck`` holds the cards a runout may use (not on the board, not dead, not in a
concrete hand); range combos that meet a runout card are skipped for that runout.

The board is kept incrementally: the rank-key sum, the four suit counters, a 13-bit rank
mask per suit and the card mask, so a player's hand costs two additions, a flush test and
one table lookup (see ``engine.poker.evaluator``).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from engine.poker.evaluator import (
    CARD_BIT,
    CARD_RANK_KEY,
    CARD_SUIT_KEY,
    FLUSH_TABLE,
    OFFSETS,
    RANK_TABLE,
    flush_suit,
)

TABLES = (OFFSETS, RANK_TABLE, FLUSH_TABLE, CARD_RANK_KEY, CARD_SUIT_KEY, CARD_BIT)


@nb.njit(cache=True, inline="always")
def _board_flush_value(su, c0, c1, bcards, flush_table, bit):
    """Value of two hole cards and a five-card board that hold a flush (``su``: the seven
    cards' suit counters). Needed only when a suit reaches five, about 3% of hands."""
    s = flush_suit(su)
    m = 0
    for c in bcards:
        if c & 3 == s:
            m |= bit[c]
    if c0 & 3 == s:
        m |= bit[c0]
    if c1 & 3 == s:
        m |= bit[c1]
    return flush_table[m]


@nb.njit(cache=True)
def enumerate_exact(
    combos,
    cmask,
    starts,
    tuples,
    tweights,
    board,
    deck,
    offsets,
    rank_table,
    flush_table,
    rk,
    sk,
    bit,
):
    """Exact enumeration over every runout and every combo tuple.

    ``tuples`` (T, P): combo rows, one per player, pairwise disjoint; ``tweights`` their
    weights. Returns (win (P,), tie (P,), share (P,), total weight, outcomes), where
    ``share`` is the split-pot part of the equity and outcomes counts (tuple, runout) pairs.
    """
    n_players = starts.shape[0] - 1
    n_combos = combos.shape[0]
    n_tuples = tuples.shape[0]
    n_board = board.shape[0]
    need = 5 - n_board
    n_deck = deck.shape[0]
    win = np.zeros(n_players)
    tie = np.zeros(n_players)
    share = np.zeros(n_players)
    total = 0.0
    outcomes = 0
    bcards = np.zeros(5, np.int64)
    keys = np.zeros(need + 1, np.int64)
    suitss = np.zeros(need + 1, np.int64)
    cms = np.zeros(need + 1, np.int64)
    keys[0] = 0
    for i in range(n_board):
        c = board[i]
        bcards[i] = c
        keys[0] += rk[c]
        suitss[0] += sk[c]
    values = np.zeros(n_combos, np.int64)
    vals = np.zeros(n_players, np.int64)
    idx = np.zeros(max(need, 1), np.int64)
    level = 0
    while True:
        if need > 0:
            if idx[level] > n_deck - (need - level):
                level -= 1
                if level < 0:
                    break
                idx[level] += 1
                continue
            c = deck[idx[level]]
            bcards[n_board + level] = c
            keys[level + 1] = keys[level] + rk[c]
            suitss[level + 1] = suitss[level] + sk[c]
            cms[level + 1] = cms[level] | (np.int64(1) << c)
            if level + 1 < need:
                level += 1
                idx[level] = idx[level - 1] + 1
                continue
            idx[level] += 1
        key = keys[need]
        suits = suitss[need]
        cm = cms[need]
        for i in range(n_combos):
            if cmask[i] & cm:
                values[i] = -1
            else:
                c0 = combos[i, 0]
                c1 = combos[i, 1]
                su = suits + sk[c0] + sk[c1]
                if (su + 0x3333) & 0x8888:
                    values[i] = _board_flush_value(su, c0, c1, bcards, flush_table, bit)
                else:
                    x = key + rk[c0] + rk[c1]
                    values[i] = rank_table[offsets[x >> 9] + (x & 511)]
        for t in range(n_tuples):
            ok = True
            for p in range(n_players):
                v = values[tuples[t, p]]
                if v < 0:
                    ok = False
                    break
                vals[p] = v
            if not ok:
                continue
            w = tweights[t]
            outcomes += 1
            total += w
            best = -1
            n_best = 0
            for p in range(n_players):
                if vals[p] > best:
                    best = vals[p]
                    n_best = 1
                elif vals[p] == best:
                    n_best += 1
            if n_best == 1:
                for p in range(n_players):
                    if vals[p] == best:
                        win[p] += w
            else:
                for p in range(n_players):
                    if vals[p] == best:
                        tie[p] += w
                        share[p] += w / n_best
        if need == 0:
            break
    return win, tie, share, total, outcomes


@nb.njit(cache=True, inline="always")
def _flush_value(suits, c0, c1, c2, c3, c4, c5, c6, flush_table, bit):
    """Value of seven cards known to hold a flush (the flush mask is built only here)."""
    s = flush_suit(suits)
    m = 0
    if c0 & 3 == s:
        m |= bit[c0]
    if c1 & 3 == s:
        m |= bit[c1]
    if c2 & 3 == s:
        m |= bit[c2]
    if c3 & 3 == s:
        m |= bit[c3]
    if c4 & 3 == s:
        m |= bit[c4]
    if c5 & 3 == s:
        m |= bit[c5]
    if c6 & 3 == s:
        m |= bit[c6]
    return flush_table[m]


@nb.njit(cache=True)
def heads_up_preflop(h0, h1, deck, offsets, rank_table, flush_table, rk, sk, bit):
    """Exact heads-up hand vs hand over every five-card board from ``deck``:
    (wins0, wins1, ties). Five nested loops carry the board's rank-key and suit-counter
    sums packed in one word (rank key low, suits high: the sums never carry), so each board
    costs one addition, a flush test and one lookup per player; the flush mask is built
    only when a suit reaches five, and the tally is branch-free. The fast path of the
    preflop table.
    """
    n = deck.shape[0]
    packed = np.zeros(52, np.int64)
    for c in range(52):
        packed[c] = rk[c] | (sk[c] << 32)
    a0, a1, b0, b1 = h0[0], h0[1], h1[0], h1[1]
    p0 = packed[a0] + packed[a1] + (np.int64(0x3333) << 32)
    p1 = packed[b0] + packed[b1] + (np.int64(0x3333) << 32)
    low = np.int64(0xFFFFFFFF)
    w0 = 0
    w1 = 0
    for a in range(n - 4):
        ca = deck[a]
        ka = packed[ca]
        for b in range(a + 1, n - 3):
            cb = deck[b]
            kb = ka + packed[cb]
            for c in range(b + 1, n - 2):
                cc = deck[c]
                kc = kb + packed[cc]
                for d in range(c + 1, n - 1):
                    cd = deck[d]
                    kd = kc + packed[cd]
                    for e in range(d + 1, n):
                        ce = deck[e]
                        ke = kd + packed[ce]
                        x0 = ke + p0
                        x1 = ke + p1
                        if (x0 >> 32) & 0x8888:
                            v0 = _flush_value(
                                (x0 >> 32) - 0x3333, ca, cb, cc, cd, ce, a0, a1, flush_table, bit
                            )
                        else:
                            x0 &= low
                            v0 = rank_table[offsets[x0 >> 9] + (x0 & 511)]
                        if (x1 >> 32) & 0x8888:
                            v1 = _flush_value(
                                (x1 >> 32) - 0x3333, ca, cb, cc, cd, ce, b0, b1, flush_table, bit
                            )
                        else:
                            x1 &= low
                            v1 = rank_table[offsets[x1 >> 9] + (x1 & 511)]
                        w0 += v0 > v1
                        w1 += v1 > v0
    boards = n * (n - 1) * (n - 2) * (n - 3) * (n - 4) // 120
    return w0, w1, boards - w0 - w1


@nb.njit(cache=True, inline="always")
def _xorshift(state):
    state ^= state >> np.uint64(12)
    state ^= state << np.uint64(25)
    state ^= state >> np.uint64(27)
    return state, state * np.uint64(0x2545F4914F6CDD1D)


@nb.njit(cache=True, inline="always")
def _credit_showdown(vals, n_players, best, n_best, win, tie, share, sq):
    """Credit one sampled showdown: a lone best hand wins it, tied best hands split it
    (``sq`` accumulates squared shares for the standard error)."""
    if n_best == 1:
        for p in range(n_players):
            if vals[p] == best:
                win[p] += 1.0
                sq[p] += 1.0
    else:
        part = 1.0 / n_best
        for p in range(n_players):
            if vals[p] == best:
                tie[p] += 1.0
                share[p] += part
                sq[p] += part * part


@nb.njit(cache=True)
def monte_carlo(
    combos,
    cmask,
    starts,
    cumw,
    uniform,
    board,
    deck,
    trials,
    seed,
    offsets,
    rank_table,
    flush_table,
    rk,
    sk,
    bit,
):
    """Monte Carlo: each trial samples one combo per player by weight, rejects the draw when
    two players share a card (so card removal between players is exact, not ordered), then
    deals the rest of the board uniformly from the unseen cards (``deck`` minus the dealt
    combos).

    ``cumw``: cumulative weights within each player's rows; ``uniform[p]`` when all of a
    player's weights are equal (sampled by index). Returns (win, tie, share, sum of squares
    of each player's equity per trial, rejected draws); -1 rejected means no valid deal
    was found.
    """
    n_players = starts.shape[0] - 1
    n_board = board.shape[0]
    n_deck = deck.shape[0]
    win = np.zeros(n_players)
    tie = np.zeros(n_players)
    share = np.zeros(n_players)
    sq = np.zeros(n_players)
    bcards = np.zeros(5, np.int64)
    key0 = 0
    suits0 = 0
    for i in range(n_board):
        c = board[i]
        bcards[i] = c
        key0 += rk[c]
        suits0 += sk[c]
    chosen = np.zeros(n_players, np.int64)
    vals = np.zeros(n_players, np.int64)
    deck = deck.copy()  # shuffled in place below
    state = np.uint64(seed)
    rejected = 0
    fixed = True
    for p in range(n_players):
        if starts[p + 1] - starts[p] > 1:
            fixed = False
    used0 = 0
    for p in range(n_players):
        used0 |= cmask[starts[p]]
    for _ in range(trials):
        if fixed:
            used = used0
            for p in range(n_players):
                chosen[p] = starts[p]
        else:
            while True:
                used = 0
                ok = True
                for p in range(n_players):
                    lo = starts[p]
                    n = starts[p + 1] - lo
                    if n == 1:
                        c = lo
                    else:
                        state, r = _xorshift(state)
                        if uniform[p]:
                            c = lo + np.int64(
                                ((r >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)
                            )
                        else:
                            u = (r >> np.uint64(11)) * (1.0 / 9007199254740992.0)
                            u *= cumw[lo + n - 1]
                            a = lo
                            b = lo + n - 1
                            while a < b:
                                mid = (a + b) >> 1
                                if cumw[mid] > u:
                                    b = mid
                                else:
                                    a = mid + 1
                            c = a
                    if cmask[c] & used:
                        ok = False
                        break
                    used |= cmask[c]
                    chosen[p] = c
                if ok:
                    break
                rejected += 1
                if rejected > 1000 and rejected > 100 * trials:
                    return win, tie, share, sq, -1
        key = key0
        suits = suits0
        pos = 0
        k = n_board
        while k < 5:
            # partial Fisher-Yates over the unseen cards, skipping cards of the dealt
            # combos: a uniformly random sequence of distinct cards, filtered
            state, r = _xorshift(state)
            j = pos + np.int64(((r >> np.uint64(32)) * np.uint64(n_deck - pos)) >> np.uint64(32))
            c = deck[j]
            deck[j] = deck[pos]
            deck[pos] = c
            pos += 1
            if used & (np.int64(1) << c):
                continue
            bcards[k] = c
            key += rk[c]
            suits += sk[c]
            k += 1
        for p in range(n_players):
            i = chosen[p]
            c0 = combos[i, 0]
            c1 = combos[i, 1]
            su = suits + sk[c0] + sk[c1]
            if (su + 0x3333) & 0x8888:
                vals[p] = _board_flush_value(su, c0, c1, bcards, flush_table, bit)
            else:
                x = key + rk[c0] + rk[c1]
                vals[p] = rank_table[offsets[x >> 9] + (x & 511)]
        best = -1
        n_best = 0
        for p in range(n_players):
            if vals[p] > best:
                best = vals[p]
                n_best = 1
            elif vals[p] == best:
                n_best += 1
        _credit_showdown(vals, n_players, best, n_best, win, tie, share, sq)
    return win, tie, share, sq, rejected


@nb.njit(cache=True)
def monte_carlo_hands(
    holes, blocked, board, trials, seed, offsets, rank_table, flush_table, rk, sk, bit
):
    """Monte Carlo for concrete hands only (no combo sampling): ``holes`` (P, 2); the rest
    of the board is dealt uniformly from the 52 cards minus ``blocked`` (a card mask of
    the board, dead cards and all hole cards) by a partial Fisher-Yates shuffle of the
    unseen cards, so every runout is equally likely. Returns (win, tie, share, sum of
    squares of each player's equity per trial)."""
    n_players = holes.shape[0]
    n_board = board.shape[0]
    need = 5 - n_board
    win = np.zeros(n_players)
    tie = np.zeros(n_players)
    share = np.zeros(n_players)
    sq = np.zeros(n_players)
    # one word per card: rank key in the low 32 bits, suit counter above (sums never carry)
    packed = np.zeros(52, np.int64)
    for c in range(52):
        packed[c] = rk[c] | (sk[c] << 32)
    hp = np.zeros(n_players, np.int64)
    for p in range(n_players):
        hp[p] = packed[holes[p, 0]] + packed[holes[p, 1]] + (np.int64(0x3333) << 32)
    base = 0
    for c in board:
        base += packed[c]
    # the unseen cards; after each partial shuffle deck[:need] is the runout
    deck = np.empty(52, np.int64)
    n_deck = 0
    for c in range(52):
        if not (blocked >> c) & 1:
            deck[n_deck] = c
            n_deck += 1
    full = np.empty(5, np.int64)  # the whole board: runout first, then the given cards
    for i in range(n_board):
        full[need + i] = board[i]
    vals = np.zeros(n_players, np.int64)
    state = np.uint64(seed)
    r = np.uint64(0)
    lo32 = np.uint64(0xFFFFFFFF)
    low = np.int64(0xFFFFFFFF)
    heads_up = n_players == 2
    a0, a1, b0, b1 = holes[0, 0], holes[0, 1], holes[1, 0], holes[1, 1]
    hp0, hp1 = hp[0], hp[1]
    w0 = 0
    w1 = 0
    hi32 = np.uint64(32)
    n0 = np.uint64(n_deck)
    n1 = np.uint64(n_deck - 1)
    n2 = np.uint64(n_deck - 2)
    n3 = np.uint64(n_deck - 3)
    n4 = np.uint64(n_deck - 4)
    for _ in range(trials):
        # partial Fisher-Yates: position i swaps with a uniform position at or after it
        # (32-bit multiply-shift, two draws per random word)
        if need == 5:  # preflop, unrolled
            state, r = _xorshift(state)
            j = np.int64(((r & lo32) * n0) >> hi32)
            c0 = deck[j]
            deck[j] = deck[0]
            deck[0] = c0
            j = 1 + np.int64(((r >> hi32) * n1) >> hi32)
            c1 = deck[j]
            deck[j] = deck[1]
            deck[1] = c1
            state, r = _xorshift(state)
            j = 2 + np.int64(((r & lo32) * n2) >> hi32)
            c2 = deck[j]
            deck[j] = deck[2]
            deck[2] = c2
            j = 3 + np.int64(((r >> hi32) * n3) >> hi32)
            c3 = deck[j]
            deck[j] = deck[3]
            deck[3] = c3
            state, r = _xorshift(state)
            j = 4 + np.int64(((r & lo32) * n4) >> hi32)
            c4 = deck[j]
            deck[j] = deck[4]
            deck[4] = c4
            full[0], full[1], full[2], full[3], full[4] = c0, c1, c2, c3, c4
            acc = packed[c0] + packed[c1] + packed[c2] + packed[c3] + packed[c4]
        else:
            acc = base
            for i in range(need):
                if i & 1 == 0:
                    state, r = _xorshift(state)
                j = i + np.int64(((r & lo32) * np.uint64(n_deck - i)) >> hi32)
                r >>= hi32
                c = deck[j]
                deck[j] = deck[i]
                deck[i] = c
                full[i] = c
                acc += packed[c]
        if heads_up:
            x = acc + hp0
            if (x >> 32) & 0x8888:
                v0 = _board_flush_value((x >> 32) - 0x3333, a0, a1, full, flush_table, bit)
            else:
                x &= low
                v0 = rank_table[offsets[x >> 9] + (x & 511)]
            x = acc + hp1
            if (x >> 32) & 0x8888:
                v1 = _board_flush_value((x >> 32) - 0x3333, b0, b1, full, flush_table, bit)
            else:
                x &= low
                v1 = rank_table[offsets[x >> 9] + (x & 511)]
            w0 += v0 > v1  # branch-free: the winner is a coin flip to the predictor
            w1 += v1 > v0
            continue
        best = -1
        n_best = 0
        for p in range(n_players):
            x = acc + hp[p]
            if (x >> 32) & 0x8888:
                v = _board_flush_value(
                    (x >> 32) - 0x3333, holes[p, 0], holes[p, 1], full, flush_table, bit
                )
            else:
                x &= low
                v = rank_table[offsets[x >> 9] + (x & 511)]
            vals[p] = v
            if v > best:
                best = v
                n_best = 1
            elif v == best:
                n_best += 1
        _credit_showdown(vals, n_players, best, n_best, win, tie, share, sq)
    if heads_up:
        ties = trials - w0 - w1
        win[0] = w0
        win[1] = w1
        tie[0] = tie[1] = ties
        share[0] = share[1] = ties / 2
        sq[0] = w0 + ties / 4
        sq[1] = w1 + ties / 4
    return win, tie, share, sq
