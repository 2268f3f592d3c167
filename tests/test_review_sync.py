"""The review sync over a long history: graded in chunks or in a background thread, the
queue is the one a single pass gives, and each attempt is graded once."""

import pytest

from engine.errors import StoreError
from engine.store import SqliteStore
from engine.store import analytics as an
from engine.store.review import due_items, review_items, start_sync, sync_reviews

N = 1_500


def _queue(store, profile_id):
    items = review_items(store, profile_id)
    log = store.db.execute(
        "SELECT i.drill, i.spot, l.attempt_id, l.rating, l.reviewed_at FROM review_log l "
        "JOIN review_items i ON i.id = l.item_id ORDER BY l.attempt_id"
    ).fetchall()
    return [(i.drill, i.spot, i.state, i.step, i.stability, i.difficulty, i.due, i.last_review,
             i.reviews, i.lapses, i.situation) for i in items], log  # fmt: skip


@pytest.fixture
def one_pass(new_store):
    with new_store("one.db") as store:
        me = store.default_profile()
        an.synthetic_history(store, me.id, N, per_session=50)
        assert sync_reviews(store, me.id, chunk=10 * N) == N
        return _queue(store, me.id)


def test_grading_in_small_chunks_gives_the_schedule_of_one_pass(new_store, one_pass):
    with new_store("chunks.db") as store:
        me = store.default_profile()
        an.synthetic_history(store, me.id, N, per_session=50)
        assert sync_reviews(store, me.id, chunk=137) == N
        assert sync_reviews(store, me.id, chunk=137) == 0
        assert _queue(store, me.id) == one_pass
    assert len(one_pass[1]) > N // 2  # most answers grade a card: the test exercises FSRS


def test_a_background_sync_builds_the_same_queue_and_a_page_sync_then_finds_nothing(
    new_store, one_pass
):
    with new_store("bg.db") as store:
        me = store.default_profile()
        an.synthetic_history(store, me.id, N, per_session=50)
        thread = start_sync(store, me.id)
        due_items(store, me.id, now="2030-01-01T00:00:00+00:00")  # syncs first or waits
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert sync_reviews(store, me.id) == 0
        assert _queue(store, me.id) == one_pass


def test_a_chunk_of_no_attempts_is_refused():
    with SqliteStore(":memory:") as store, pytest.raises(StoreError, match="chunk"):
        sync_reviews(store, store.default_profile().id, chunk=0)
