"""Home: what Felt is and what works today."""

import streamlit as st

st.title("♠ Felt")
st.markdown(
    """
A self-hosted study tool for **blackjack** and **Texas Hold'em**.

Felt grades every decision by its exact cost in expected value, reads the cards in a
screenshot of a table so you can review a hand afterwards, and keeps your history so you
can see where you leak.

The engine is available from the command line today:

```
python -m engine equity AhKh QsQd --board 2c7d9h
```

The training pages arrive as their engines land.
"""
)
