"""The watchdog that stops a runaway rule pattern (claims/watchdog.py): whichever way it runs
(ticks in the main thread, regex's own timeout elsewhere), a pattern that finishes returns every
match and one that runs away raises TimeoutError."""
from __future__ import annotations

import signal
import threading

import pytest
import regex

from claims import watchdog

RUNAWAY = regex.compile("(?:(?:一|一一)+)+号", regex.V1)  # 2**40 splits of the run to try
HOPELESS = "一" * 40 + "！"
SOUND = regex.compile(r"[0-9]+(?P<u>[元人])")
TEXT = "花了35元，来了12人，还有7个" * 50


def test_ticks_are_used_in_the_main_thread():
    if not hasattr(signal, "setitimer"):
        pytest.skip("no setitimer on this platform")
    with watchdog.matcher() as find:
        assert find is not watchdog.timed


def test_every_match_is_returned():
    with watchdog.matcher() as find:
        got = find(SOUND, TEXT, 3, len(TEXT) - 5, 2.0)
    assert [m.span() for m in got] == [m.span() for m in SOUND.finditer(TEXT, 3, len(TEXT) - 5)]
    assert [m.group() for m in got[:2]] == ["5元", "12人"]


def test_a_runaway_pattern_is_stopped_and_the_next_one_runs():
    with watchdog.matcher() as find:
        with pytest.raises(TimeoutError):
            find(RUNAWAY, HOPELESS, 0, len(HOPELESS), 0.3)
        assert len(find(SOUND, TEXT, 0, len(TEXT), 2.0)) == 100  # the clock starts afresh
    assert not watchdog._Clock.armed


def test_a_matcher_inside_another_leaves_the_outer_one_its_timer():
    with watchdog.matcher() as outer:
        with watchdog.matcher() as inner:
            assert inner(SOUND, "3元", 0, 2, 1.0)
        with pytest.raises(TimeoutError):
            outer(RUNAWAY, HOPELESS, 0, len(HOPELESS), 0.3)


def test_another_thread_falls_back_to_the_regex_timeout():
    seen = {}

    def work():
        with watchdog.matcher() as find:
            seen["find"] = find
            try:
                find(RUNAWAY, HOPELESS, 0, len(HOPELESS), 0.3)
            except TimeoutError:
                seen["stopped"] = True

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert seen == {"find": watchdog.timed, "stopped": True}


def test_someone_elses_sigprof_handler_is_left_alone():
    if not hasattr(signal, "setitimer"):
        pytest.skip("no setitimer on this platform")

    def theirs(signum, frame):
        pass

    before = signal.signal(signal.SIGPROF, theirs)
    try:
        with watchdog.matcher() as find:
            assert find is watchdog.timed
            with pytest.raises(TimeoutError):
                find(RUNAWAY, HOPELESS, 0, len(HOPELESS), 0.3)
        assert signal.getsignal(signal.SIGPROF) is theirs
    finally:
        signal.signal(signal.SIGPROF, before)
