"""The in-memory rate-limit storage used without Redis: limits hold as with the stock storage, and hits start no
timer thread (the stock one starts one 10 ms after a hit, walking every key, which cost a fifth of a start)."""

from __future__ import annotations

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from contest.security import SweptMemoryStorage


class Clock:
    """Wall and monotonic time the storage reads, moved by the test."""

    def __init__(self, monkeypatch):
        self.wall, self.mono = 1_000_000.0, 5_000.0
        monkeypatch.setattr("limits.storage.memory.time.time", lambda: self.wall)
        monkeypatch.setattr("contest.security.time.monotonic", lambda: self.mono)
        monkeypatch.setattr("limits.strategies.time.time", lambda: self.wall, raising=False)

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def test_the_scheme_names_the_swept_storage():
    assert isinstance(storage_from_string("hoithi-memory://"), SweptMemoryStorage)


def test_a_moving_window_refuses_the_hit_over_the_limit_then_allows_it_once_the_window_moves(clock):
    limiter = MovingWindowRateLimiter(SweptMemoryStorage())
    limit = parse("3 per minute")
    assert [limiter.hit(limit, "user:1") for _ in range(4)] == [True, True, True, False]
    clock.advance(61)
    assert limiter.hit(limit, "user:1") is True


def test_a_fixed_window_refuses_the_hit_over_the_limit_then_allows_it_in_the_next_window(clock):
    limiter = FixedWindowRateLimiter(SweptMemoryStorage())
    limit = parse("2 per minute")
    assert [limiter.hit(limit, "ip:1") for _ in range(3)] == [True, True, False]
    clock.advance(61)
    assert limiter.hit(limit, "ip:1") is True


def test_hits_of_many_keys_start_no_thread(monkeypatch):
    started = []

    class Timer:  # stands for threading.Timer: records each start, never alive (so a stock storage starts anew)
        def __init__(self, interval, function):
            self.function = function

        def start(self):
            started.append(self)

        def is_alive(self):
            return False

    monkeypatch.setattr("limits.storage.memory.threading.Timer", Timer)
    limiter = MovingWindowRateLimiter(SweptMemoryStorage())
    limit = parse("10 per minute")
    before = len(started)
    for n in range(500):
        limiter.hit(limit, f"user:{n}")
    assert len(started) == before


def test_the_sweep_frees_the_entries_of_windows_that_have_passed_once_it_is_due(clock):
    storage = SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    limit = parse("10 per minute")
    for n in range(100):
        limiter.hit(limit, f"user:{n}")
    clock.advance(SweptMemoryStorage.SWEEP_SECONDS + 61)
    limiter.hit(limit, "user:new")
    assert [key.split("/")[1] for key in storage.events] == ["user:new"]
