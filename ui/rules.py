"""The rule set in the sidebar: a preset or custom rules, remembered per profile."""

from __future__ import annotations

import streamlit as st

from engine.blackjack import PRESETS, Rules
from engine.errors import FeltError
from ui.state import current_profile, store

CUSTOM = "custom"
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
