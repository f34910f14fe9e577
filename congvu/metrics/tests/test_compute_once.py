"""Figures computed once at a time: after an import, the first requests for the same figures wait for
the one that computes them instead of computing them too; a failed computation lets the next one
compute."""

import threading
import time
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache

from congvu.core import shared_cache


@pytest.fixture
def shared(monkeypatch):
    """A process-wide cache the threads share (the test database's cache table is per connection)."""
    local = LocMemCache(f"compute-once-{uuid.uuid4()}", {})  # a name of its own: its own storage
    monkeypatch.setattr(shared_cache, "cache", local)
    return local


def test_concurrent_misses_compute_the_figures_once(shared):
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return {"rank": [1, 2]}

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(shared_cache.compute_once("k", compute)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert results == [{"rank": [1, 2]}] * 5
    assert shared.get("k:computing") is None


def test_a_failed_computation_lets_the_waiting_one_compute(shared):
    started = threading.Event()

    def failing():
        started.set()
        time.sleep(0.2)
        raise RuntimeError("database gone")

    def failing_call():
        with pytest.raises(RuntimeError):
            shared_cache.compute_once("k", failing)

    first = threading.Thread(target=failing_call)
    first.start()
    started.wait()

    assert shared_cache.compute_once("k", lambda: "computed here") == "computed here"
    first.join()
    assert shared.get("k") == "computed here"
