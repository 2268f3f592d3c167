"""Keyboard keys Streamlit keeps for itself (R reruns, C clears caches) bound to buttons.

``st.button(shortcut=...)`` refuses R and C. ``bind_key("r", "Surrender")`` listens in the
capture phase, before Streamlit's own handler: when a visible, enabled button with that
label is on the page and no text field has focus, the key clicks it and goes no further;
otherwise the key behaves as usual.
"""

from __future__ import annotations

import json

import streamlit as st

_SCRIPT = """
<script>
(() => {
  const key = %(key)s, label = %(label)s;
  window.feltKeys = window.feltKeys || {};
  if (window.feltKeys[key]) { window.feltKeys[key].label = label; return; }
  const binding = {label};
  window.feltKeys[key] = binding;
  window.addEventListener("keydown", (ev) => {
    if (ev.key.toLowerCase() !== key || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    const button = Array.from(document.querySelectorAll("button")).find(
      (b) => b.innerText.trim().split("\\n")[0].trim() === binding.label && !b.disabled
        && b.offsetParent !== null);
    if (!button) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    button.click();
  }, true);
})();
</script>
"""


def bind_key(key: str, label: str) -> None:
    """Make ``key`` click the button labelled ``label`` on this page."""
    script = _SCRIPT % {"key": json.dumps(key.lower()), "label": json.dumps(label)}
    st.html(script, unsafe_allow_javascript=True)
