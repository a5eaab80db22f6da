"""The server process's collector settings (dashboard.heap), applied once by app.py."""

import gc

from dashboard import heap


def test_settle_freezes_what_is_loaded_and_spaces_out_full_collections():
    heap.settle()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == heap.FULL_COLLECTION_EVERY
    young, middle, _ = gc.get_threshold()
    heap.settle()  # a second call (every rerun makes one) changes nothing
    assert gc.get_threshold() == (young, middle, heap.FULL_COLLECTION_EVERY)
