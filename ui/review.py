"""Helpers of the table review page: read an upload once, the editable card table, the
manual card picker, and saving a reviewed hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from engine.cards import DECK, CardError, parse_blackjack_hand, parse_card
from engine.store import HandRecord, default_db_path
from engine.vision import TableRead, decode_image, read_table
from ui.cards import SUIT_SYMBOL
from ui.state import current_profile, store

ROLES = {"poker": ("hero", "board", "others"), "blackjack": ("dealer", "player", "others")}
_SWAP = {"hero": "player", "player": "hero", "board": "dealer", "dealer": "board"}
_SESSION = "felt_review_session"


def image_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@st.cache_data(max_entries=16, show_spinner="Reading the cards...")
def read_upload(data: bytes, game: str | None) -> tuple[TableRead, int, int]:
    """The vision module's read of an uploaded image, and the image's height and width.
    Raises ImageError for anything that is not a safe, decodable image."""
    image = decode_image(data)
    return read_table(image, game=game), image.shape[0], image.shape[1]


def rows_from_read(read: TableRead, game: str) -> pd.DataFrame:
    """One editable row per read card: card, role, confidence."""
    role_of: dict[int, str] = {}
    remaining = {role: list(cards) for role, cards in read.roles.items()}
    for i, det in enumerate(read.cards):
        for role, cards in remaining.items():
            if det.card in cards:
                cards.remove(det.card)
                role_of[i] = role
                break
    roles = ROLES[game]
    rows = []
    for i, det in enumerate(read.cards):
        role = role_of.get(i, "others")
        role = role if role in roles else _SWAP.get(role, "others")
        rows.append({"card": det.card, "role": role, "confidence": round(det.confidence, 2)})
    return pd.DataFrame(rows, columns=["card", "role", "confidence"])


def roles_from_rows(rows: pd.DataFrame, game: str) -> dict[str, list[str]]:
    """The edited table back to role -> cards; a bad card raises CardError naming its row."""
    roles: dict[str, list[str]] = {role: [] for role in ROLES[game]}
    for n, row in enumerate(rows.to_dict("records"), start=1):
        text = str(row.get("card") or "").strip()
        if not text:
            continue
        role = row.get("role") or "others"
        if role not in roles:
            raise CardError(f"row {n}: role must be one of {', '.join(roles)}, got {role!r}")
        try:
            card = parse_card(text) if game == "poker" else _blackjack_card(text)
        except CardError as exc:
            raise CardError(f"row {n}: {exc}") from None
        roles[role].append(card)
    return roles


def _blackjack_card(text: str) -> str:
    try:
        return parse_card(text)
    except CardError:
        value = parse_blackjack_hand(text)
        if len(value) != 1:
            raise CardError(f"expected one card such as 'Ah' or 'T', got {text!r}") from None
        return "A" if value[0] == 1 else "T" if value[0] == 10 else str(value[0])


def _label(card: str) -> str:
    return card[0].replace("T", "10") + SUIT_SYMBOL[card[1]]


def manual_roles(game: str) -> dict[str, list[str]]:
    """Card pickers: 52 distinct cards for poker; ranks typed for blackjack, where a shoe of
    several decks holds the same card more than once."""
    if game == "poker":
        hero = st.multiselect("Your hole cards", DECK, max_selections=2, format_func=_label,
                              key="rv_hero")  # fmt: skip
        board = st.multiselect(
            "Board (flop, turn, river)", [c for c in DECK if c not in hero], max_selections=5,
            format_func=_label, key="rv_board",
        )  # fmt: skip
        others = st.multiselect(
            "Other cards seen (shown or folded hands)",
            [c for c in DECK if c not in hero and c not in board], format_func=_label,
            key="rv_others",
        )  # fmt: skip
        return {"hero": hero, "board": board, "others": others}
    c1, c2, c3 = st.columns(3)
    dealer = c1.text_input("Dealer up card", "T", key="rv_dealer")
    player = c2.text_input("Your hand", "T 6", key="rv_player")
    others = c3.text_input("Other cards on the table", "", key="rv_bj_others")
    return {
        role: [_blackjack_card(c) for c in text.replace(",", " ").split()]
        for role, text in (("dealer", dealer), ("player", player), ("others", others))
    }


def save_review(
    state: dict, source: str, recommendation: str, action: str,
    image: bytes | None = None, keep_image: bool = False,
) -> int:  # fmt: skip
    """Store the reviewed hand in hand_history (raises StoreError). The image is kept next
    to the database only when the user asks; its hash is stored either way."""
    digest = image_hash(image) if image else None
    if image and keep_image:
        folder = Path(default_db_path()).parent / "images"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest}.img"
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_bytes(image)
            tmp.replace(path)  # never a half-written file under the final name
        state = {**state, "image_path": str(path)}
    db = store()
    profile = current_profile()
    sessions: dict = st.session_state.setdefault(_SESSION, {})
    if profile.id not in sessions:
        sessions[profile.id] = db.start_session(profile.id, "review", {})
    record = HandRecord(
        state=state, source=source, recommendation=recommendation, action=action,
        image_hash=digest,
    )  # fmt: skip
    return db.record_hand(sessions[profile.id], record)
