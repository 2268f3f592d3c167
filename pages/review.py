"""Table review: read the cards in an uploaded table image (or enter them), correct them,
and study the spot with exact numbers. Uploaded images only; never live capture."""

import streamlit as st

from engine.charts import action_values_figure
from engine.errors import CardError, FeltError, ImageError, StoreError
from engine.review import (
    BlackjackReview,
    BlackjackSpot,
    PokerSpot,
    review_blackjack,
    review_poker,
    shoe_text,
)
from engine.review_charts import DOUBTFUL, street_equity_figure, table_figure
from ui.cards import show_cards
from ui.frame import ensure_router
from ui.review import (
    ROLES,
    image_hash,
    manual_roles,
    read_upload,
    roles_from_rows,
    rows_from_read,
    save_review,
)
from ui.rules import current_rules

ensure_router()
st.title("Table review")
st.caption(
    "Upload a screenshot or photo of a table after the hand, or enter the cards. Felt reads "
    "the cards; check them, fix what it got wrong, then analyse the spot."
)
pick = st.segmented_control("Game", ["auto", "poker", "blackjack"], default="auto", key="rv_game")
source = st.radio("Cards from", ["an image", "the card picker"], horizontal=True, key="rv_source")
data = None
try:
    if source == "an image":
        up = st.file_uploader(
            "Table image (PNG, JPEG or WebP)", type=["png", "jpg", "jpeg", "webp"]
        )
        if up is None:
            st.info("Upload an image of a poker or blackjack table to begin.")
            st.stop()
        data = up.getvalue()
        read, height, width = read_upload(data, None if pick in (None, "auto") else pick)
        game = pick if pick in ("poker", "blackjack") else read.game or "poker"
        rows = rows_from_read(read, game)
        left, right = st.columns([3, 2])
        with left:
            marks = [
                (d.card, d.box, d.confidence, r)
                for d, r in zip(read.cards, rows["role"], strict=True)
            ]
            st.plotly_chart(
                table_figure(data, width, height, marks), config={"displayModeBar": False}
            )
        with right:
            doubtful = int((rows["confidence"] < DOUBTFUL).sum()) if len(rows) else 0
            st.markdown(
                f"**{len(rows)} cards read** as a **{game}** table"
                + (f"; :red[{doubtful} doubtful] (dashed boxes): check them" if doubtful else "")
            )
            st.caption(
                "Fix a card or its role, add a missed card in the last row, or delete a row."
            )
            edited = st.data_editor(
                rows, num_rows="dynamic", hide_index=True, key=f"rv_{game}_{image_hash(data)[:12]}",
                column_config={
                    "card": st.column_config.TextColumn("card", help="e.g. Ah, Td, 9c"),
                    "role": st.column_config.SelectboxColumn("role", options=ROLES[game]),
                    "confidence": st.column_config.NumberColumn("confidence", disabled=True),
                },
            )  # fmt: skip
            try:
                roles = roles_from_rows(edited, game)
            except CardError as exc:
                st.error(str(exc))
                st.stop()
    else:
        game = pick if pick in ("poker", "blackjack") else "poker"
        roles = manual_roles(game)
except ImageError as exc:
    st.error(f"That image cannot be read: {exc}")
    st.stop()
except FeltError as exc:
    st.error(str(exc))
    st.stop()

for role in ROLES[game]:
    if roles[role]:
        show_cards(roles[role], role)

if game == "poker":
    villain = st.text_input("Villain range", "random", key="rv_villain",
                            help="PokerStove notation: QQ+, AKs, A5s-A2s, KQo, random")  # fmt: skip
    c1, c2 = st.columns(2)
    pot = c1.number_input("Pot before the bet (0: no bet to face)", 0.0, step=1.0, key="rv_pot")
    to_call = c2.number_input("Amount to call", 0.0, step=1.0, key="rv_call")
    actions = ["", "fold", "call", "check", "bet/raise"]
else:
    rules = current_rules()
    st.caption(
        f"Rules: {rules.describe()} (change them in the sidebar); a full shoe before the hand."
    )
    actions = ["", "hit", "stand", "double", "split", "surrender"]
c1, c2 = st.columns(2)
action = c1.selectbox("What you did (optional)", actions, key="rv_action")
keep = c2.checkbox("Keep the image with the hand", key="rv_keep", disabled=data is None)

# a callback flag, not the button's return value: it survives a rerun before this line
st.button("Analyse", type="primary", key="rv_go", on_click=st.session_state.update,
          kwargs={"rv_request": True})  # fmt: skip
if st.session_state.pop("rv_request", False):
    try:
        if game == "poker":
            bet = to_call > 0
            spot = PokerSpot(
                hero=tuple(roles["hero"]), board=tuple(roles["board"]),
                others=tuple(roles["others"]), villain=villain.strip() or "random",
                pot=pot if bet else None, to_call=to_call if bet else None,
            )  # fmt: skip
            with st.spinner("Computing equities..."):
                result = review_poker(spot)
        else:
            spot = BlackjackSpot(dealer=tuple(roles["dealer"]), player=tuple(roles["player"]),
                                 others=tuple(roles["others"]), rules=rules)  # fmt: skip
            result = review_blackjack(spot)
    except FeltError as exc:
        st.error(f"{exc}. Correct the cards above and analyse again.")
        st.stop()
    state = {"game": game, "roles": roles, **(
        {"villain": spot.villain, "pot": spot.pot, "to_call": spot.to_call, "equity": result.equity}
        if game == "poker" else {"rules": rules.describe(), "values": result.values,
                                 "running_count": result.running_count})}  # fmt: skip
    try:
        save_review(state, "upload" if data else "manual", result.recommendation, action,
                    data, keep)  # fmt: skip
        st.session_state["rv_saved"] = "Saved to your hand history."
    except (StoreError, OSError) as exc:
        st.session_state["rv_saved"] = f"Not saved: {exc}"
    st.session_state["rv_result"] = result

result = st.session_state.get("rv_result")
if result is None:
    st.stop()
st.divider()
saved = st.session_state.get("rv_saved", "")
if saved:
    (st.success if saved.startswith("Saved") else st.warning)(saved)
if isinstance(result, BlackjackReview):
    st.subheader(f"Best: {result.recommendation}")
    c = st.columns(3)
    c[0].metric("Running count (Hi-Lo)", f"{result.running_count:+g}")
    c[1].metric("True count", f"{result.true_count:+.2f}")
    c[2].metric("Decks left", f"{result.decks_left:.2f}")
    st.plotly_chart(
        action_values_figure(result.values, result.best), config={"displayModeBar": False}
    )
    st.caption(f"Shoe after the visible cards: {shoe_text(result.shoe)}")
else:
    st.subheader(result.recommendation.capitalize())
    c = st.columns(4)
    c[0].metric("Equity", f"{result.equity:.1%}", "exact" if result.exact else
                f"± {1.96 * (result.stderr or 0):.2%}", delta_color="off")  # fmt: skip
    c[1].metric("Made hand", result.hand_name or "preflop")
    c[2].metric("Outs", len(result.outs) if result.hit else "-")
    c[3].metric("Needed to call", f"{result.needed:.1%}" if result.needed is not None else "-")
    st.plotly_chart(
        street_equity_figure([(s.street, s.equity) for s in result.streets], result.needed),
        config={"displayModeBar": False},
    )
    if result.hit:
        show_cards(result.outs, "Outs")
        st.caption(f"Hitting one: {result.hit.next_card:.1%} on the next card, "
                   f"{result.hit.by_river:.1%} by the river.")  # fmt: skip
