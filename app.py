"""Felt: the Streamlit entry point. Only a router; the pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="Felt", page_icon="♠", layout="wide")

home = st.Page("pages/home.py", title="Home", icon="🏠", default=True)
st.navigation({"Felt": [home]}).run()
