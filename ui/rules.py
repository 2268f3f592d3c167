"""The rule set in the sidebar: a preset or custom rules, remembered per profile."""

from __future__ import annotations

import streamlit as st

from engine.blackjack import PRESETS, Rules
from engine.errors import FeltError
from ui.state import current_profile, store

CUSTOM = "custom"
PAYS_TEXT = {1.5: "3:2", 1.2: "6:5", 1.0: "1:1"}
DEFAULT = "vegas_strip"


def _label(key: str) -> str:
    if key == CUSTOM:
        return "Custom rules"
    return f"{key.replace('_', ' ').title()} ({PRESETS[key].describe()})"


def saved_rules() -> Rules:
    """The current profile's rules (the Las Vegas Strip game when none are saved)."""
    try:
        text = current_profile().settings.get("rules")
    except FeltError:
        text = None
    try:
        return Rules.parse(text) if text else PRESETS[DEFAULT]
    except FeltError:
        return PRESETS[DEFAULT]


def current_rules() -> Rules:
    """The rules chosen in the sidebar for this run."""
    chosen = st.session_state.get("felt_rules")
    return chosen[1] if chosen else saved_rules()


def _save(pid: int, rules: Rules) -> None:
    st.session_state["felt_rules"] = (pid, rules)
    try:
        store().update_profile_settings(pid, {"rules": rules.describe()})
    except FeltError as exc:
        st.sidebar.error(str(exc))


def rules_sidebar() -> Rules:
    """Choose a preset or type custom rules (``6D H17 DAS LS 3:2``); saved to the profile."""
    saved = saved_rules()
    preset = next((k for k, r in PRESETS.items() if r == saved), CUSTOM)
    try:
        pid = current_profile().id
    except FeltError:
        pid = 0
    options = [*PRESETS, CUSTOM]
    with st.sidebar:
        choice = st.selectbox(
            "Blackjack rules", options, index=options.index(preset), format_func=_label,
            key=f"felt_rules_pick_{pid}",
        )  # fmt: skip
        if choice != CUSTOM:
            rules = PRESETS[choice]
        else:
            text = st.text_input(
                "Custom rules",
                value=saved.describe(),
                key=f"felt_rules_text_{pid}",
                help="Decks (1D-8D), S17/H17, DAS/NDAS, LS/ES, 3:2/6:5/1:1, D9/D10 (double "
                "on 9-11/10-11), SP2/SP3/NSP (hands after splits), RSA, HSA, ENHC.",
            )
            try:
                rules = Rules.parse(text)
            except FeltError as exc:
                st.error(str(exc))
                rules = saved
            else:
                st.caption(f"Playing {rules.describe()}")
    if rules != saved:
        _save(pid, rules)
    st.session_state["felt_rules"] = (pid, rules)
    return rules


def _save_editor() -> None:
    ss = st.session_state
    try:
        new = Rules(decks=int(ss.rs_decks), hit_soft_17=ss.rs_h17, double_after_split=ss.rs_das,
                    double_on=ss.rs_double_on, surrender=ss.rs_surrender,
                    max_hands=int(ss.rs_hands), resplit_aces=ss.rs_rsa,
                    hit_split_aces=ss.rs_hsa, blackjack_pays=ss.rs_pays,
                    dealer_peeks=ss.rs_peek)  # fmt: skip
        pid = current_profile().id
    except FeltError as exc:
        ss.rs_message = ("error", str(exc))
        return
    _save(pid, new)
    # keep the sidebar in step (its widgets run before the page, so set them here)
    ss[f"felt_rules_pick_{pid}"] = next((k for k, r in PRESETS.items() if r == new), CUSTOM)
    ss[f"felt_rules_text_{pid}"] = new.describe()
    ss.rs_message = ("success", f"Saved: {new.describe()}.")


def rules_editor(rules: Rules) -> None:
    """Every rule as a widget in a form; saving updates the profile and the sidebar."""
    from engine.blackjack.rules import DOUBLE_ON, SURRENDER

    pays = [1.5, 1.2, 1.0]
    with st.form("felt_rules_form"):
        c1, c2, c3 = st.columns(3)
        c1.number_input("Decks", 1, 8, rules.decks, key="rs_decks")
        c1.toggle("Dealer hits soft 17 (H17)", rules.hit_soft_17, key="rs_h17")
        c1.toggle("Dealer peeks for blackjack", rules.dealer_peeks, key="rs_peek")
        c2.selectbox("Double on", DOUBLE_ON, index=DOUBLE_ON.index(rules.double_on),
                     key="rs_double_on")  # fmt: skip
        c2.toggle("Double after split (DAS)", rules.double_after_split, key="rs_das")
        c2.selectbox("Surrender", SURRENDER, index=SURRENDER.index(rules.surrender),
                     key="rs_surrender")  # fmt: skip
        c3.selectbox("Blackjack pays", pays, index=pays.index(rules.blackjack_pays),
                     format_func=PAYS_TEXT.get, key="rs_pays")  # fmt: skip
        c3.number_input("Hands after splits (max)", 1, 4, rules.max_hands, key="rs_hands")
        c3.toggle("Resplit aces", rules.resplit_aces, key="rs_rsa")
        c3.toggle("Hit split aces", rules.hit_split_aces, key="rs_hsa")
        st.form_submit_button("Save rules", type="primary", on_click=_save_editor)
    if msg := st.session_state.pop("rs_message", None):
        getattr(st, msg[0])(msg[1])
