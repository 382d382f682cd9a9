"""Per-test CPU time, for finding what makes the suite slow (not a timed test).

With PYTEST_CPU_LOG=FILE, every test's setup, call and teardown CPU seconds
(this process, plus the child processes it waited for: sphinx-build, latexmk,
the Java and Node tools) are appended to FILE as tab-separated lines:
worker, test id, phase, CPU seconds, wall seconds, wall clock at the end.
Each xdist worker appends its own lines. A child's CPU counts when it is
reaped: the session's browser (Playwright's driver and Chromium, ~65 s in
the full suite) lands on the teardown of each worker's last test.
"""

from __future__ import annotations

import os
import resource
import time

import pytest

LOG = os.environ.get("PYTEST_CPU_LOG")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _record(item, phase):
    cpu, wall = _cpu(), time.monotonic()
    yield
    line = "\t".join((os.environ.get("PYTEST_XDIST_WORKER", "main"), item.nodeid, phase,
                      f"{_cpu() - cpu:.2f}", f"{time.monotonic() - wall:.2f}", f"{time.time():.1f}"))
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(line + "\n")


if LOG:
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(item):
        gen = _record(item, "setup")
        next(gen)
        try:
            return (yield)
        finally:
            next(gen, None)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(item):
        gen = _record(item, "call")
        next(gen)
        try:
            return (yield)
        finally:
            next(gen, None)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(item, nextitem):
        gen = _record(item, "teardown")
        next(gen)
        try:
            return (yield)
        finally:
            next(gen, None)
