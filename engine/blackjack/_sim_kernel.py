"""The compiled inner loop of the blackjack simulator (numba, ``nogil`` so chunks run in threads).

Everything the loop needs arrives as flat numpy arrays built by ``engine.blackjack.simulate``:

* ``ip`` (int64): the integer parameters, indexed by the ``P_*`` constants below.
* ``fp`` (float64): blackjack payout, initial running count, ace side weight, wong in/out.
* ``tags``/``values``/``comp``: per card code 0..10 (A,2..9,T and 10 = a red seven), the
  count tag, the blackjack value and the number of such cards in the shoe.
* strategy tables, one layer per rounded count from ``-BMAX`` to ``+BMAX`` plus a last layer
  holding plain basic strategy (played by the other seats): ``hard[layer, total, up]``,
  ``soft[layer, soft total, up]``, ``pair[layer, pair value - 1, up]`` with ``up`` 0..9 for
  dealer 2..9, T, A, holding the chart codes below; ``insure[layer]`` and ``bets[layer]``.

The shoe is shuffled lazily (Fisher-Yates one draw at a time), so reshuffling is free and a
"reshuffle every round" game costs no more than a shoe game.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# chart codes
H, S, D, DS, P, RH, RS, RP = 0, 1, 2, 3, 4, 5, 6, 7
# decisions
HIT, STAND, DOUBLE, SPLIT, SURRENDER = 0, 1, 2, 3, 4
BMAX = 30  # counts are clamped to -BMAX..BMAX
NLAYERS = 2 * BMAX + 1  # + 1 basic layer at index NLAYERS

# ip indices
P_DECKS = 0
P_H17 = 1
P_DAS = 2
P_DOUBLE_ON = 3  # 0 any two, 1 9-11, 2 10-11
P_SURRENDER = 4  # 0 none, 1 late, 2 early
P_MAX_HANDS = 5
P_RSA = 6
P_HSA = 7
P_PEEK = 8
P_SEATS = 9
P_SEAT = 10
P_CUT = 11  # reshuffle when this many cards are dealt (0: every round)
P_BURN = 12
P_BALANCED = 13
P_ESTIMATE = 14  # 0 exact, 1 full, 2 half, 3 quarter deck
P_ROUNDING = 15  # 0 floor, 1 truncate, 2 round
P_WONG_IN = 16  # 1 when wonging in is on
P_WONG_OUT = 17
P_SESSION = 18  # hands per session (0: no sessions)
P_PLAYS = 19  # 1 when our strategy changes with the count (index plays)
NIP = 20
# fp indices
F_BJ_PAYS = 0
F_IRC = 1
F_ACE_WEIGHT = 2
F_WONG_IN = 3
F_WONG_OUT = 4
NFP = 5
# output statistics
O_HANDS = 0  # rounds we bet on
O_SUM = 1
O_SUMSQ = 2
O_WAGER = 3  # initial bets
O_ROUNDS = 4  # all rounds dealt, observed ones included
O_SESSIONS = 5
NOUT = 6

# state indices (int): shoe position, round start, aces seen, hole card code or -1
S_POS, S_START, S_ACES, S_HOLE = 0, 1, 2, 3


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_R30, _R27, _R31, _R11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _uniform(rng):
    """A uniform float in [0, 1) from a SplitMix64 stream (state in ``rng[0]``)."""
    z = rng[0] + _GOLDEN
    rng[0] = z
    z = (z ^ (z >> _R30)) * _MIX1
    z = (z ^ (z >> _R27)) * _MIX2
    z = z ^ (z >> _R31)
    return (z >> _R11) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _shuffle_state(shoe, st, rng, rc, fp, burn, tags):
    st[S_POS] = 0
    st[S_START] = 0
    st[S_ACES] = 0
    st[S_HOLE] = -1
    rc[0] = fp[F_IRC]
    n = shoe.shape[0]
    for _ in range(burn):  # burned face down: out of the shoe, never counted
        j = st[S_POS] + int(_uniform(rng) * (n - st[S_POS]))
        t = shoe[st[S_POS]]
        shoe[st[S_POS]] = shoe[j]
        shoe[j] = t
        st[S_POS] += 1
    st[S_START] = st[S_POS]


@njit(cache=True, nogil=True, _nrt=False)
def _refill(shoe, st, rc, fp, tags):
    """Out of cards mid-round: reshuffle the discards, keep the cards on the table."""
    n = shoe.shape[0]
    start = st[S_START]
    k = n - start
    # rotate the shoe left by ``start``: the table's cards first, the discards after them
    for _ in range(start):
        first = shoe[0]
        for i in range(n - 1):
            shoe[i] = shoe[i + 1]
        shoe[n - 1] = first
    st[S_POS] = k
    st[S_START] = 0
    total = fp[F_IRC]
    aces = 0
    for i in range(k):  # the cards on the table were seen, except a hidden hole card
        total += tags[shoe[i]]
        if shoe[i] == 0:
            aces += 1
    if st[S_HOLE] >= 0:
        total -= tags[st[S_HOLE]]
        if st[S_HOLE] == 0:
            aces -= 1
    rc[0] = total
    st[S_ACES] = aces


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _draw(shoe, st, rng, rc, fp, tags, seen):
    """Deal one card code; ``seen`` adds its tag to the running count now."""
    n = shoe.shape[0]
    if st[S_POS] >= n:
        _refill(shoe, st, rc, fp, tags)
    pos = st[S_POS]
    j = pos + int(_uniform(rng) * (n - pos))
    c = shoe[j]
    shoe[j] = shoe[pos]
    shoe[pos] = c
    st[S_POS] = pos + 1
    if seen:
        rc[0] += tags[c]
        if c == 0:
            st[S_ACES] += 1
    return c


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _round_count(x, rounding):
    if rounding == 0:
        return np.floor(x)
    if rounding == 1:
        return np.trunc(x)
    if x >= 0:
        return np.floor(x + 0.5)
    return -np.floor(-x + 0.5)


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _layer(count, pos, n, ip):
    """Strategy/bet layer for a running count at shoe position ``pos``."""
    if ip[P_BALANCED] == 1:
        left = (n - pos) / 52.0
        est = ip[P_ESTIMATE]
        if est != 0:
            step = 1.0 if est == 1 else (0.5 if est == 2 else 0.25)
            left = np.floor(left / step + 0.5) * step
            if left < step:
                left = step
        if left <= 0.0:
            left = 1.0 / 52.0
        count = count / left
    k = _round_count(count, ip[P_ROUNDING])
    if k < -BMAX:
        k = -BMAX
    elif k > BMAX:
        k = BMAX
    return int(k) + BMAX


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _bet_count(rc, st, n, ip, fp):
    """Running count for betting: plus the ace side count adjustment, if the system has one."""
    w = fp[F_ACE_WEIGHT]
    if w == 0.0:
        return rc[0]
    unseen = n - st[S_POS]
    aces_left = 4.0 * ip[P_DECKS] - st[S_ACES]
    return rc[0] + w * (aces_left - unseen / 13.0)


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _decide(code, can_double, can_surrender):
    if code >= RH:
        if can_surrender:
            return SURRENDER
        code = H if code == RH else (S if code == RS else P)
    if code == H:
        return HIT
    if code == S:
        return STAND
    if code == D:
        return DOUBLE if can_double else HIT
    if code == DS:
        return DOUBLE if can_double else STAND
    return SPLIT


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _choose(
    layer, total, ace, ncards, first, second, up, can_split, can_double, can_surr, hard, soft, pair
):
    """Decision for a hand of hard ``total`` (aces as 1), ``ace`` if it holds one."""
    if ncards == 2 and first == second and can_split:
        code = pair[layer, first - 1, up]
        return _decide(code, can_double, can_surr)
    if ace and total <= 11:
        st = total + 10
        if st <= 12:
            return HIT  # soft 12 (unsplittable A,A): never stand or double on it
        return _decide(soft[layer, st, up], can_double, can_surr)
    if total <= 4:
        return HIT
    return _decide(hard[layer, total, up], can_double, can_surr)


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _best(total, ace):
    if ace and total <= 11:
        return total + 10
    return total


@njit(cache=True, nogil=True, inline="always", _nrt=False)
def _dealer_finish(shoe, st, rng, rc, fp, tags, values, up, hole, h17):
    total = values[up] + values[hole]
    ace = values[up] == 1 or values[hole] == 1
    while True:
        if ace and total <= 11:
            s = total + 10
            if s > 17 or (s == 17 and not h17):
                return s
        elif total >= 17:
            return total
        c = _draw(shoe, st, rng, rc, fp, tags, True)
        total += values[c]
        if values[c] == 1:
            ace = True


@njit(cache=True, nogil=True, _nrt=False)
def run_chunk(  # one round of blackjack is one function, on purpose
    ip,
    fp,
    tags,
    values,
    comp,
    hard,
    soft,
    pair,
    insure,
    bets,
    n_hands,
    seed,
    out,
    by_count_n,
    by_count_sum,
    sess_res,
    sess_min,
    shoe,
    work_i,
    work_f,
    seat_i,
    hand_i,
    hand_f,
):
    """Play until we have bet ``n_hands`` rounds; fill ``out``, the per-count and session arrays.

    The caller provides the work arrays (the kernel runs without numba's reference counting,
    which costs more than the game itself): ``shoe`` (as many cards as ``comp`` holds),
    ``work_i`` int64[5] (4 state slots and the RNG state), ``work_f`` float64[1] (running
    count), ``seat_i`` int64[5, seats], ``hand_i`` int64[6, seats, 4], ``hand_f`` float64[seats, 4].
    """
    rng = work_i[4:5].view(np.uint64)
    rng[0] = seed
    ncards = shoe.shape[0]
    k = 0
    for c in range(comp.shape[0]):
        for _ in range(comp[c]):
            shoe[k] = c
            k += 1
    st = work_i[:4]
    st[:] = 0
    rc = work_f
    basic_layer = NLAYERS

    seats = ip[P_SEATS]
    me = ip[P_SEAT]
    maxh = ip[P_MAX_HANDS]
    h17 = ip[P_H17] == 1
    das = ip[P_DAS] == 1
    dbl_on = ip[P_DOUBLE_ON]
    surr = ip[P_SURRENDER]
    peek = ip[P_PEEK] == 1
    rsa = ip[P_RSA] == 1
    hsa = ip[P_HSA] == 1
    cut = ip[P_CUT]
    burn = ip[P_BURN]
    bj_pays = fp[F_BJ_PAYS]
    wong_in = ip[P_WONG_IN] == 1
    wong_out = ip[P_WONG_OUT] == 1
    sess_len = ip[P_SESSION]
    by_count = ip[P_PLAYS] == 1

    first = seat_i[0]
    second = seat_i[1]
    n_h = seat_i[2]
    natural = seat_i[3]  # 0/1
    early = seat_i[4]  # 0/1
    # per seat and hand: hard total, has ace, cards, state, first and second card; bet multiple
    h_total = hand_i[0]
    h_ace = hand_i[1]
    h_n = hand_i[2]
    h_state = hand_i[3]  # 0 live, 1 bust, 2 surrendered, 3 natural
    h_c1 = hand_i[4]
    h_c2 = hand_i[5]
    h_mult = hand_f

    _shuffle_state(shoe, st, rng, rc, fp, burn, tags)
    playing = not wong_in
    played = 0
    rounds = 0
    total_sum = 0.0
    total_sq = 0.0
    wager = 0.0
    n_sess = 0
    sess_count = 0
    sess_cum = 0.0
    sess_low = 0.0
    max_sess = sess_res.shape[0]

    while played < n_hands:
        if cut == 0 or st[S_POS] >= cut:
            _shuffle_state(shoe, st, rng, rc, fp, burn, tags)
            if not wong_in:
                playing = True
        st[S_START] = st[S_POS]
        # the bet and whether we play this round
        bet_layer = _layer(_bet_count(rc, st, ncards, ip, fp), st[S_POS], ncards, ip)
        bet_value = bet_layer - BMAX  # the rounded count itself
        if wong_in and not playing and bet_value >= fp[F_WONG_IN]:
            playing = True
        if wong_out and playing and bet_value < fp[F_WONG_OUT]:
            playing = False
        bet = bets[bet_layer] if playing else 0.0

        # deal: one card to each seat, the up card, a second card each, the hole card
        for s in range(seats):
            first[s] = _draw(shoe, st, rng, rc, fp, tags, True)
        up = _draw(shoe, st, rng, rc, fp, tags, True)
        for s in range(seats):
            second[s] = _draw(shoe, st, rng, rc, fp, tags, True)
        hole = -1
        if peek:
            hole = _draw(shoe, st, rng, rc, fp, tags, False)
            st[S_HOLE] = hole
        upv = values[up]
        ucol = 9 if upv == 1 else upv - 2
        result = 0.0
        # insurance (ours only): half a bet that the dealer has blackjack
        insured = False
        if playing and upv == 1:
            lay = _layer(_bet_count(rc, st, ncards, ip, fp), st[S_POS], ncards, ip)
            insured = insure[lay]
        for s in range(seats):
            natural[s] = (values[first[s]] == 1 and values[second[s]] == 10) or (
                values[first[s]] == 10 and values[second[s]] == 1
            )
            early[s] = False
        # early surrender, before the dealer checks
        if surr == 2 and (upv == 1 or upv == 10):
            for s in range(seats):
                if natural[s]:
                    continue
                lay = basic_layer
                if s == me and playing and by_count:
                    lay = _layer(rc[0], st[S_POS], ncards, ip)
                v1 = values[first[s]]
                v2 = values[second[s]]
                dec = _choose(
                    lay,
                    v1 + v2,
                    v1 == 1 or v2 == 1,
                    2,
                    v1,
                    v2,
                    ucol,
                    maxh > 1,
                    True,
                    True,
                    hard,
                    soft,
                    pair,
                )
                if dec == SURRENDER:
                    early[s] = True
        dealer_bj = False
        if peek and (upv == 1 or upv == 10):
            dealer_bj = (upv + values[hole]) == 11
        if dealer_bj:
            rc[0] += tags[hole]
            if hole == 0:
                st[S_ACES] += 1
            st[S_HOLE] = -1
            if playing:
                if early[me]:
                    result = -0.5 * bet
                elif not natural[me]:
                    result = -bet
                if insured:
                    result += bet
        else:
            if insured:
                result -= 0.5 * bet
            any_live = False
            for s in range(seats):
                n_h[s] = 1
                h_state[s, 0] = 0
                h_mult[s, 0] = 1.0
                if early[s]:
                    h_state[s, 0] = 2
                    continue
                if natural[s]:
                    h_state[s, 0] = 3
                    continue
                mine = s == me and playing and by_count
                h_c1[s, 0] = values[first[s]]
                h_c2[s, 0] = values[second[s]]
                h_total[s, 0] = h_c1[s, 0] + h_c2[s, 0]
                h_ace[s, 0] = h_c1[s, 0] == 1 or h_c2[s, 0] == 1
                h_n[s, 0] = 2
                i = 0
                while i < n_h[s]:
                    split_aces = n_h[s] > 1 and h_c1[s, i] == 1
                    if h_n[s, i] == 1:  # a split hand takes its second card
                        c = _draw(shoe, st, rng, rc, fp, tags, True)
                        h_c2[s, i] = values[c]
                        h_total[s, i] += values[c]
                        if values[c] == 1:
                            h_ace[s, i] = True
                        h_n[s, i] = 2
                    while True:
                        tot = h_total[s, i]
                        ace = h_ace[s, i]
                        if tot > 21:
                            h_state[s, i] = 1
                            break
                        if _best(tot, ace) == 21:
                            break
                        two = h_n[s, i] == 2
                        is_pair = two and h_c1[s, i] == h_c2[s, i]
                        can_split = (
                            is_pair and n_h[s] < maxh and (h_c1[s, i] != 1 or n_h[s] == 1 or rsa)
                        )
                        if split_aces and not hsa and not can_split:
                            break  # split aces take one card
                        can_double = two and (n_h[s] == 1 or das) and not split_aces
                        if can_double and dbl_on != 0:
                            b = _best(tot, ace)
                            can_double = (b >= 9 if dbl_on == 1 else b >= 10) and b <= 11
                        can_surr = (
                            two
                            and n_h[s] == 1
                            and (surr == 1 or (surr == 2 and upv != 1 and upv != 10))
                        )
                        lay = basic_layer
                        if mine:
                            lay = _layer(rc[0], st[S_POS], ncards, ip)
                        dec = _choose(
                            lay,
                            tot,
                            ace,
                            h_n[s, i],
                            h_c1[s, i],
                            h_c2[s, i],
                            ucol,
                            can_split,
                            can_double,
                            can_surr,
                            hard,
                            soft,
                            pair,
                        )
                        if split_aces and not hsa and dec != SPLIT:
                            break
                        if dec == STAND:
                            break
                        if dec == SURRENDER:
                            h_state[s, i] = 2
                            break
                        if dec == SPLIT:
                            j = n_h[s]
                            n_h[s] = j + 1
                            v = h_c1[s, i]
                            h_c1[s, j] = v
                            h_total[s, j] = v
                            h_ace[s, j] = v == 1
                            h_n[s, j] = 1
                            h_mult[s, j] = 1.0
                            h_state[s, j] = 0
                            h_total[s, i] = v
                            h_ace[s, i] = v == 1
                            c = _draw(shoe, st, rng, rc, fp, tags, True)
                            h_c2[s, i] = values[c]
                            h_total[s, i] += values[c]
                            if values[c] == 1:
                                h_ace[s, i] = True
                            split_aces = v == 1
                            continue
                        c = _draw(shoe, st, rng, rc, fp, tags, True)
                        h_total[s, i] += values[c]
                        if values[c] == 1:
                            h_ace[s, i] = True
                        h_n[s, i] += 1
                        if dec == DOUBLE:
                            h_mult[s, i] = 2.0
                            if h_total[s, i] > 21:
                                h_state[s, i] = 1
                            break
                    if h_state[s, i] == 0:
                        any_live = True
                    i += 1
            # the dealer
            if not peek:
                hole = _draw(shoe, st, rng, rc, fp, tags, False)
                st[S_HOLE] = hole
            rc[0] += tags[hole]
            if hole == 0:
                st[S_ACES] += 1
            st[S_HOLE] = -1
            hv = values[hole]
            dbj = (upv == 1 and hv == 10) or (upv == 10 and hv == 1)
            dtot = 0
            if any_live and not dbj:
                dtot = _dealer_finish(shoe, st, rng, rc, fp, tags, values, up, hole, h17)
            if playing:
                s = me
                if h_state[s, 0] == 3:  # our natural
                    result += 0.0 if dbj else bj_pays * bet
                elif h_state[s, 0] == 2 and n_h[s] == 1:
                    result -= 0.5 * bet
                elif dbj:  # no hole card game: everything on the table is lost
                    if insured:
                        result += 1.5 * bet
                    for i in range(n_h[s]):
                        if h_state[s, i] == 2:
                            result -= 0.5 * bet
                        else:
                            result -= h_mult[s, i] * bet
                else:
                    for i in range(n_h[s]):
                        m = h_mult[s, i] * bet
                        if h_state[s, i] == 1:
                            result -= m
                        elif h_state[s, i] == 2:
                            result -= 0.5 * bet
                        else:
                            pt = _best(h_total[s, i], h_ace[s, i])
                            if dtot > 21 or pt > dtot:
                                result += m
                            elif pt < dtot:
                                result -= m
        rounds += 1
        if playing:
            played += 1
            total_sum += result
            total_sq += result * result
            wager += bet
            by_count_n[bet_layer] += 1
            by_count_sum[bet_layer] += result
            if sess_len > 0:
                sess_cum += result
                if sess_cum < sess_low:
                    sess_low = sess_cum
                sess_count += 1
                if sess_count == sess_len:
                    if n_sess < max_sess:
                        sess_res[n_sess] = sess_cum
                        sess_min[n_sess] = sess_low
                    n_sess += 1
                    sess_count = 0
                    sess_cum = 0.0
                    sess_low = 0.0
    out[O_HANDS] = played
    out[O_SUM] = total_sum
    out[O_SUMSQ] = total_sq
    out[O_WAGER] = wager
    out[O_ROUNDS] = rounds
    out[O_SESSIONS] = min(n_sess, max_sess)
