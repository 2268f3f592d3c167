"""Compiled core of the exact player-hand recursion (private; see ``values.py``).

Everything here works for one up card and one shoe ``R`` (the unseen cards after the up
card). A hand is its composition (10 counts), keyed as 5 bits per rank. Values are
*unconditional* expectations (the dealer's hole card is not yet known) in units of the
initial bet; ``values.py`` conditions them on no dealer blackjack.

Node values are ``[stand, hit, double]``: hit assumes the chosen play afterwards and
double is NaN for hands of other than two cards. Unsplit hands choose the best play (or a
chart's, in policy mode). Split hands (one pair card plus what was drawn to it, with
``extra`` more pair cards out of the shoe) follow a fixed rule: in optimal mode the
decision that is best for the same composition as an unsplit hand (the "CDZ-" model of
published analyses); in policy mode the chart's decision by total.

The recursion is unrolled: the hands reachable from a root are collected, then evaluated
from the highest hard total down (a drawn card always raises the hard total), so every
child is ready before its parent. Results are memoized in typed dicts kept by the caller.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.typed import Dict

_SHIFT = 5
_MASK = 31
_VARIANT_SHIFT = 52
_PAIR_SHIFT = 56

STAND, HIT, DOUBLE, DOUBLE_ELSE_STAND = 0, 1, 2, 3
MAX_K = 24  # longest run of one rank, and most cards, in any dealer hand


@njit(cache=True, nogil=True, fastmath=True)
def dealer_dist(shoe, up, segments, flat, ncards, totals, mults, out):
    """Fill ``out`` (7) with P(17..21, bust, blackjack) for ``shoe`` (after the up card)."""
    n = 0
    for c in range(10):
        n += shoe[c]
    ff = np.empty(10 * MAX_K)
    for c in range(10):
        base = c * MAX_K
        ff[base] = 1.0
        for k in range(1, MAX_K):
            left = shoe[c] - k + 1
            ff[base + k] = ff[base + k - 1] * left if left > 0 else 0.0
    inv = np.empty(MAX_K)
    inv[0] = 1.0
    for k in range(1, MAX_K):
        left = n - k + 1
        inv[k] = inv[k - 1] / left if left > 0 else 0.0
    total = 0.0
    for t in range(5):
        acc = 0.0
        for e in range(segments[up * 6 + t], segments[up * 6 + t + 1]):
            acc += (
                mults[e]
                * inv[ncards[e]]
                * ff[flat[e, 0]]
                * ff[flat[e, 1]]
                * ff[flat[e, 2]]
                * ff[flat[e, 3]]
                * ff[flat[e, 4]]
            )
        out[t] = acc
        total += acc
    bj = 0.0
    if n > 0:
        if up == 0:
            bj = shoe[9] / n
        elif up == 9:
            bj = shoe[0] / n
    out[6] = bj
    out[5] = 1.0 - total - bj


def new_memos():
    """Empty memo dictionaries: dealer probabilities, unsplit values, split values."""
    d = Dict.empty(key_type=types.int64, value_type=types.float64[::1])
    ns = Dict.empty(key_type=types.int64, value_type=types.float64[::1])
    sp = Dict.empty(key_type=types.int64, value_type=types.float64[::1])
    return d, ns, sp


@njit(cache=True, nogil=True)
def stand_value(total, d):
    """Unconditional value of standing on ``total`` (not a natural) against ``d``."""
    ev = d[5] - d[6]
    for i in range(5):
        t = 17 + i
        if total > t:
            ev += d[i]
        elif total < t:
            ev -= d[i]
    return ev


@njit(cache=True, nogil=True)
def can_double(total, double_on):
    """Doubling rule on a two-card total: 0 any two cards, 1 nine to eleven, 2 ten/eleven."""
    if double_on == 0:
        return True
    if double_on == 1:
        return 9 <= total <= 11
    return 10 <= total <= 11


@njit(cache=True, nogil=True)
def _decode(key, comp):
    hard = 0
    ncards = 0
    for c in range(10):
        k = (key >> (_SHIFT * c)) & _MASK
        comp[c] = k
        hard += (c + 1) * k
        ncards += k
    return hard, ncards


@njit(cache=True, nogil=True)
def _total(hard, aces):
    if aces and hard + 10 <= 21:
        return hard + 10, 1
    return hard, 0


@njit(cache=True, nogil=True)
def _dealer(rkey, R, rem, up, tab, dmemo):
    got = dmemo.get(rkey)
    if got is not None:
        return got
    shoe = np.empty(10, dtype=np.int64)
    for c in range(10):
        shoe[c] = R[c] - rem[c]
    out = np.empty(7)
    dealer_dist(shoe, up, tab[0], tab[1], tab[2], tab[3], tab[4], out)
    dmemo[rkey] = out
    return out


@njit(cache=True, nogil=True)
def _by_hard_total_descending(found, hards):
    """The composition keys in ``found`` ordered by hard total, highest first (stable), so a
    hand's children are solved before it."""
    keys = np.empty(len(found), dtype=np.int64)
    hs = np.empty(len(found), dtype=np.int64)
    for i in range(len(found)):
        keys[i] = found[i]
        hs[i] = -hards[i]
    order = np.argsort(hs, kind="mergesort")
    return keys[order]


@njit(cache=True, nogil=True)
def _collect(root, R, pair, extra, memo, tag):
    """Keys of the hands reachable from ``root`` that ``memo`` lacks, highest hard first."""
    comp = np.empty(10, dtype=np.int64)
    seen = Dict.empty(key_type=types.int64, value_type=types.int64)
    stack = [root]
    found = [root]
    found.pop()
    hards = [0]
    hards.pop()
    while len(stack) > 0:
        key = stack.pop()
        if key in seen or (key | tag) in memo:
            continue
        seen[key] = 1
        hard, _ = _decode(key, comp)
        found.append(key)
        hards.append(hard)
        if pair >= 0:
            comp[pair] += extra
        for c in range(10):
            if R[c] - comp[c] > 0 and hard + c + 1 <= 21:
                child = key + (1 << (_SHIFT * c))
                if child not in seen:
                    stack.append(child)
    return _by_hard_total_descending(found, hards)


@njit(cache=True, nogil=True)
def ns_values(root, R, up, peek, tab, dmemo, nsmemo, policy, pol_multi):
    """[stand, hit, double] of an unsplit hand with composition key ``root`` (>= 2 cards)."""
    got = nsmemo.get(root)
    if got is not None:
        return got
    keys = _collect(root, R, -1, 0, nsmemo, 0)
    comp = np.empty(10, dtype=np.int64)
    N = 0
    for c in range(10):
        N += R[c]
    for key in keys:
        hard, ncards = _decode(key, comp)
        aces = comp[0] > 0
        d = _dealer(key, R, comp, up, tab, dmemo)
        total, _ = _total(hard, aces)
        stand = stand_value(total, d)
        n = N - ncards
        hit = 0.0
        dbl = 0.0
        if n <= 0:
            hit = stand
            dbl = 2.0 * stand
        for c in range(10):
            avail = R[c] - comp[c]
            if avail <= 0:
                continue
            p = avail / n
            nh = hard + c + 1
            if nh > 21:
                hit -= p
                dbl -= 2.0 * p
                continue
            ch = nsmemo[key + (1 << (_SHIFT * c))]
            if policy:
                ct, cs = _total(nh, aces or c == 0)
                best = ch[1] if pol_multi[cs, ct] == HIT else ch[0]
            else:
                best = ch[1] if ch[1] > ch[0] else ch[0]
            hit += p * best
            dbl += p * 2.0 * ch[0]
        if peek:
            dbl += d[6]
        if ncards != 2:
            dbl = np.nan
        out = np.empty(3)
        out[0] = stand
        out[1] = hit
        out[2] = dbl
        nsmemo[key] = out
    return nsmemo[root]


@njit(cache=True, nogil=True)
def _split_action(key, ncards, params, nsmemo, pol_multi, pol_split2, comp, hard):
    """The decision (STAND, HIT or DOUBLE) a post-split hand takes; fixed by its cards."""
    das, double_on, policy = params[1], params[2], params[3]
    total, soft = _total(hard, comp[0] > 0)
    may_double = ncards == 2 and das == 1 and can_double(total, double_on)
    if policy:
        act = pol_split2[soft, total] if ncards == 2 else pol_multi[soft, total]
        if act == DOUBLE and not may_double:
            act = HIT
        elif act == DOUBLE_ELSE_STAND:
            act = DOUBLE if may_double else STAND
        return act
    ns = nsmemo[key]
    test = ns[0]
    act = STAND
    if test < ns[1]:
        test = ns[1]
        act = HIT
    if may_double and test < ns[2]:
        act = DOUBLE
    return act


@njit(cache=True, nogil=True)
def _collect_split(
    root, R, pair, extra, memo, tag, params, nsmemo, pol_multi, pol_split2, root_stands
):
    """Post-split hands reachable from ``root`` by the decisions actually taken (a hand that
    stands is not expanded), that ``memo`` lacks; highest hard total first."""
    comp = np.empty(10, dtype=np.int64)
    seen = Dict.empty(key_type=types.int64, value_type=types.int64)
    stack = [root]
    found = [root]
    found.pop()
    hards = [0]
    hards.pop()
    while len(stack) > 0:
        key = stack.pop()
        if key in seen or (key | tag) in memo:
            continue
        seen[key] = 1
        hard, ncards = _decode(key, comp)
        found.append(key)
        hards.append(hard)
        if key == root and root_stands:
            continue
        if _split_action(key, ncards, params, nsmemo, pol_multi, pol_split2, comp, hard) == STAND:
            continue
        comp[pair] += extra
        for c in range(10):
            if R[c] - comp[c] > 0 and hard + c + 1 <= 21:
                child = key + (1 << (_SHIFT * c))
                if child not in seen:
                    stack.append(child)
    return _by_hard_total_descending(found, hards)


@njit(cache=True, nogil=True)
def _sp_tree(
    root, pair, extra, R, up, params, tab, dmemo, nsmemo, spmemo, pol_multi, pol_split2, root_stands
):
    """Fill ``spmemo`` for the post-split hands reachable from composition key ``root``.

    A hand whose decision is to stand gets only its stand value (hit and double NaN): no
    parent ever uses the others, and its children are never dealt."""
    tag = (extra << _VARIANT_SHIFT) | (pair << _PAIR_SHIFT)
    keys = _collect_split(
        root, R, pair, extra, spmemo, tag, params, nsmemo, pol_multi, pol_split2, root_stands
    )
    peek = params[0]
    comp = np.empty(10, dtype=np.int64)
    ccomp = np.empty(10, dtype=np.int64)
    N = 0
    for c in range(10):
        N += R[c]
    shift = extra << (_SHIFT * pair)
    for key in keys:
        hard, ncards = _decode(key, comp)
        aces = comp[0] > 0
        stands = key == root and root_stands
        if not stands:
            stands = (
                _split_action(key, ncards, params, nsmemo, pol_multi, pol_split2, comp, hard)
                == STAND
            )
        comp[pair] += extra
        d = _dealer(key + shift, R, comp, up, tab, dmemo)
        total, _ = _total(hard, aces)
        out = np.empty(3)
        out[0] = stand_value(total, d)
        out[1] = np.nan
        out[2] = np.nan
        if stands:
            spmemo[key | tag] = out
            continue
        n = N - ncards - extra
        hit = 0.0
        dbl = 0.0
        if n <= 0:
            hit = out[0]
            dbl = 2.0 * out[0]
        for c in range(10):
            avail = R[c] - comp[c]
            if avail <= 0:
                continue
            p = avail / n
            nh = hard + c + 1
            if nh > 21:
                hit -= p
                dbl -= 2.0 * p
                continue
            ck = key + (1 << (_SHIFT * c))
            ch = spmemo[ck | tag]
            _decode(ck, ccomp)
            act = _split_action(ck, ncards + 1, params, nsmemo, pol_multi, pol_split2, ccomp, nh)
            hit += p * ch[act]
            dbl += p * 2.0 * ch[0]
        if peek:
            dbl += d[6]
        out[1] = hit
        if ncards == 2:
            out[2] = dbl
        spmemo[key | tag] = out


@njit(cache=True, nogil=True)
def split_root(pair, extra, R, up, params, tab, dmemo, nsmemo, spmemo, pol_multi, pol_split2):
    """(EV[X], EV[P]) of one post-split hand: its value with the second card drawn at random
    (a pair card then played as a total, not resplit), and its value when that card is a
    pair card; ``extra`` pair cards are out of the shoe besides the hand's own."""
    peek, policy, hit_aces = params[0], params[3], params[4]
    tag = (extra << _VARIANT_SHIFT) | (pair << _PAIR_SHIFT)
    N = 0
    for c in range(10):
        N += R[c]
    n = N - 1 - extra
    comp = np.zeros(10, dtype=np.int64)
    key0 = 1 << (_SHIFT * pair)
    evx = 0.0
    evp = 0.0
    for c in range(10):
        avail = R[c] - (1 + extra if c == pair else 0)
        if avail <= 0:
            continue
        p = avail / n
        ck = key0 + (1 << (_SHIFT * c))
        if not policy:
            ns_values(ck, R, up, peek, tab, dmemo, nsmemo, policy, pol_multi)
        root_stands = pair == 0 and not hit_aces  # split aces take one card each
        _sp_tree(
            ck,
            pair,
            extra,
            R,
            up,
            params,
            tab,
            dmemo,
            nsmemo,
            spmemo,
            pol_multi,
            pol_split2,
            root_stands,
        )
        sv = spmemo[ck | tag]
        if root_stands:
            value = sv[0]
        else:
            hard, _ = _decode(ck, comp)
            act = _split_action(ck, 2, params, nsmemo, pol_multi, pol_split2, comp, hard)
            value = sv[act]
        evx += p * value
        if c == pair:
            evp = value
    return evx, evp
