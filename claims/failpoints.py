"""Counted crash points: a test kills a process at the N-th durable-write step, not after a delay.

Each write, flush, fsync, replace and folder fsync of the audit log, the claim file and the
lock is a step (a one-line `step` or `torn` call beside it). With `CLAIMCHECK_CRASH_AT=N` the
process kills itself (SIGKILL: no cleanup runs, as with a power cut of the process) at step
N; at a `torn` step it first writes half of what it was about to write, so that a crash in
the middle of a write is reproduced, not only one between writes. `CLAIMCHECK_CRASH_TRACE=FILE`
appends each step's label to FILE as it is taken: a run without CRASH_AT counts the steps.

Unarmed (the variables unset, read once at import), `step` and `torn` are a function that
returns at once: the cost is one call per durable write.
"""
from __future__ import annotations

import os
import signal

ENV_AT = "CLAIMCHECK_CRASH_AT"
ENV_TRACE = "CLAIMCHECK_CRASH_TRACE"

_at = 0  # the step to die at; 0: never
_taken: list[str] = []  # labels of the steps taken since arming, in order
_trace_file: str | None = None


def _off(*_args: object) -> None:
    return None


def _count(label: str) -> bool:
    """Count a step; True when it is the one to die at."""
    _taken.append(label)
    if _trace_file:
        with open(_trace_file, "a", encoding="utf-8") as f:
            f.write(label + "\n")
    return len(_taken) == _at


def _step(label: str) -> None:
    if _count(label):
        die()


def _torn(label: str, target: int | object, data: bytes) -> None:
    """The step of a write about to be made: at the step to die at, half of it is written first."""
    if _count(label):
        half = data[: len(data) // 2]
        if isinstance(target, int):
            os.write(target, half)
        else:  # a buffered file: what it holds must reach the file before the process goes
            target.write(half)  # type: ignore[attr-defined]
            target.flush()  # type: ignore[attr-defined]
        die()


step = _off  # step(label): a durable-write step has just been taken
torn = _off  # torn(label, fd_or_file, data): `data` is about to be written to it


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)  # where SIGKILL is not delivered at once (never reached on Linux)


def arm(at: int = 0, trace_file: str | None = None) -> None:
    """Count steps from now on, and die at step `at` (0: only count)."""
    global _at, _trace_file, step, torn
    _at, _trace_file = at, trace_file
    _taken.clear()
    step, torn = _step, _torn


def disarm() -> None:
    global step, torn
    step = torn = _off


def taken() -> list[str]:
    """The labels of the steps taken since `arm`, in order."""
    return list(_taken)


def _from_environment() -> None:
    at, trace = os.environ.get(ENV_AT), os.environ.get(ENV_TRACE)
    if at or trace:
        arm(int(at or 0), trace or None)


_from_environment()
