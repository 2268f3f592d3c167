"""The simulator's chunks on a Dask cluster give the same answer as the local threads."""

import json
import pathlib

import pytest

from engine.blackjack.rules import Rules
from engine.blackjack.simulate import simulate

distributed = pytest.importorskip("dask.distributed")
DATA = json.loads((pathlib.Path(__file__).parent / "data" / "sim_reference.json").read_text())
CHART = DATA["charts"]["6D_S17_DAS_LS"]


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_runner_reproduces_the_threaded_result(client):
    rules = Rules.parse("6D S17 DAS LS")
    kw = dict(seed=17, chart=CHART, ramp="1:1,2:4,3:8", strategy="indices", session_hands=100)
    local = simulate(rules, 300_000, **kw)
    on_dask = simulate(rules, 300_000, runner=client, **kw)
    assert on_dask.hands == local.hands == 300_000
    assert on_dask.ev_per_hand == local.ev_per_hand
    assert on_dask.sd_per_hand == local.sd_per_hand
    assert on_dask.sessions.count == local.sessions.count == 3000


def test_dask_runner_reports_progress_and_cancels(client):
    seen = []

    def progress(done, total):
        seen.append(done)
        return False

    r = simulate(Rules(), 400_000, seed=1, chart=CHART, runner=client, progress=progress)
    assert r.cancelled and seen and r.hands < 400_000
