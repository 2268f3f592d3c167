"""Felt: the Streamlit entry point. Only a router: page config, database, sidebar, navigation."""

import streamlit as st

from engine.errors import StoreError
from ui.rules import rules_sidebar
from ui.sidebar import profile_sidebar
from ui.state import store

st.set_page_config(page_title="Felt", page_icon="♠", layout="wide")

try:
    store()  # opens this thread's connection; migrations run once per process
except StoreError as exc:
    st.error(str(exc))

profile_sidebar()
rules_sidebar()

pages = {
    "Felt": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Blackjack": [
        st.Page("pages/blackjack_strategy.py", title="Strategy", icon=":material/playing_cards:"),
        st.Page("pages/counting.py", title="Counting", icon=":material/exposure_plus_1:"),
    ],
    "Poker": [
        st.Page("pages/poker_drills.py", title="Drills", icon=":material/school:"),
        st.Page("pages/equity_lab.py", title="Equity lab", icon=":material/percent:"),
    ],
    "Review": [
        st.Page("pages/review.py", title="Table review", icon=":material/photo_camera:"),
    ],
    "Data": [
        st.Page("pages/settings.py", title="Settings & data", icon=":material/settings:"),
        st.Page("pages/analytics.py", title="Analytics", icon=":material/insights:"),
        st.Page("pages/your_data.py", title="Your data", icon=":material/database:"),
    ],
}
st.navigation(pages).run()
