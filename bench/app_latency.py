"""Keypress to graded feedback in the real app, in headless Chromium (target < 200 ms).

Starts ``streamlit run app.py`` on a free port with a temporary FELT_DB, opens a drill,
presses its answer key and times until the graded feedback for that answer is on the
page. The anchor is a bare Streamlit app (one button with a shortcut that writes a line)
timed the same way in the same run: the floor any Streamlit page pays for a round trip.

    .venv/bin/python bench/app_latency.py [--answers 30]
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import tempfile
import textwrap
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    goto,
    start_app,
    stop_app,
    wait_idle,
)

ANCHOR_APP = textwrap.dedent(
    """
    import streamlit as st
    st.title("anchor")
    st.session_state.setdefault("n", 0)
    if st.button("Go", shortcut="S"):
        st.session_state.n += 1
    st.markdown(f"<div id='out'>answer {st.session_state.n}</div>", unsafe_allow_html=True)
    """
)

FEEDBACK = "() => { const a = document.querySelector('[data-testid=stAlert]'); " \
           "return a ? a.innerText : ''; }"  # fmt: skip


def time_keys(page, key: str, read_js: str, n: int) -> list[float]:
    """Press ``key`` n times; each time wait until ``read_js`` returns new, non-empty text."""
    out = []
    for _ in range(n):
        before = page.evaluate(read_js)
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(f"prev => {{ const t = ({read_js})(); return t && t !== prev; }}",
                               arg=before, timeout=30_000, polling="raf")  # fmt: skip
        out.append(1000 * (time.perf_counter() - t0))
        wait_idle(page)
    return out


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return f"{name:<34} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   n={len(ms)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        anchor_dir = pathlib.Path(tmp) / "anchor"
        anchor_dir.mkdir()
        (anchor_dir / "app.py").write_text(ANCHOR_APP)
        felt, felt_url = start_app(pathlib.Path(tmp) / "felt.db")
        try:
            import subprocess

            from tests.e2e.conftest import free_port

            port = free_port()
            anchor = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port",
                 str(port), "--server.headless", "true", "--browser.gatherUsageStats",
                 "false"],
                cwd=anchor_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    _wait_health(port)
                    goto(page, f"http://127.0.0.1:{port}")
                    read_anchor = "() => (document.getElementById('out') || {}).innerText || ''"
                    time_keys(page, "s", read_anchor, 3)  # warm-up
                    bare = time_keys(page, "s", read_anchor, args.answers)

                    goto(page, felt_url, "blackjack_strategy")
                    page.wait_for_selector("text=Keys: H hit", timeout=120_000)
                    time_keys(page, "h", FEEDBACK, 3)  # warm-up: numba, caches
                    strategy = time_keys(page, "s", FEEDBACK, args.answers)
                    browser.close()
            finally:
                anchor.terminate()
                anchor.wait(timeout=10)
        finally:
            stop_app(felt)
    print(summary("bare Streamlit button (anchor)", bare))
    print(summary("Felt strategy drill: key -> graded", strategy))
    ratio = statistics.median(strategy) / statistics.median(bare)
    verdict = "meets" if statistics.median(strategy) < 200 else "misses"
    print(f"ratio Felt / anchor (median): {ratio:.2f}x; {verdict} the 200 ms target")
    return 0


def _wait_health(port: int) -> None:
    import urllib.request

    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("the anchor app did not start")


if __name__ == "__main__":
    raise SystemExit(main())
