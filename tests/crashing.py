"""Kill a piece of work at its N-th durable-write step (see claims/failpoints.py).

The work runs in a forked child, which has every module the test imported already, so a
kill costs milliseconds rather than an interpreter's start; the child dies by SIGKILL, the
way a process really dies, with no cleanup of any kind.
"""
from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable

from claims import failpoints


def steps_of(work: Callable[[], object]) -> list[str]:
    """The labels of the steps `work` takes, in order (run here, counted, not killed)."""
    failpoints.arm(0)
    try:
        work()
        return failpoints.taken()
    finally:
        failpoints.disarm()


def killed_at(at: int, work: Callable[[], object], before: Callable[[], object] | None = None) -> bool:
    """Run `work` in a child process that dies at step `at`: True when it did die there,
    False when the work ended first. An exception in the child fails the test, with its trace.
    `before` runs first in the child, its steps not counted (opening what the work changes)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test runner
        os.close(r)
        code = 0
        try:
            if before is not None:
                before()
            failpoints.arm(at)
            work()
        except BaseException:
            os.write(w, traceback.format_exc().encode("utf-8", "replace"))
            code = 3
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        err = f.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return True
    assert not err, f"the work failed before step {at}:\n{err}"
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"the child ended with status {status}"
    return False
