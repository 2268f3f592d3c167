"""Small Streamlit helpers shared by the pages: state, sidebar, card chips, keyboard.

Everything here may import Streamlit; the computation lives in ``engine/``.
"""
