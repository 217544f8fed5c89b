"""The warm spare: a worker process started early, kept only while a test may still take it.

A spare costs a process and a core's worth of imports; a run whose tests start no worker
process (eager or in-process only) must drop it once collection shows that, not keep it to the end.
"""

from __future__ import annotations

SPARES_OF_THIS_RUN = """
import os
from pathlib import Path


def spares(*workers):
    \"\"\"Children of pytest started as spares, but ``workers`` (spares now workers).\"\"\"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            argv = (entry / "cmdline").read_bytes().split(b"\\0")
        except OSError:
            continue
        ours = int(fields[1]) == os.getpid() and int(entry.name) not in workers
        if ours and fields[0] != "Z" and b"--spare" in argv:
            found.append(int(entry.name))
    return found
"""


def test_a_run_without_worker_processes_drops_its_spare_after_collection(plain_project):
    plain_project.makepyfile(
        spares=SPARES_OF_THIS_RUN,
        test_eager="""
        from proj import add
        from spares import spares


        def test_eager_only(celery_live_eager):
            assert add.delay(1, 2).get() == 3
            assert spares() == []
        """,
    )
    result = plain_project.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_a_run_with_a_worker_process_keeps_a_spare_for_the_next_one(plain_project):
    """The control: the same check sees the spare made again once the session worker took one."""
    plain_project.makepyfile(
        spares=SPARES_OF_THIS_RUN,
        test_proc="""
        from pytest_celery_live.waiting import wait_until

        from proj import add
        from spares import spares


        def test_proc(celery_live_proc_worker):
            assert celery_live_proc_worker.wait(add.delay(1, 2)) == 3
            worker = celery_live_proc_worker.process.pid  # its command line still says --spare
            wait_until(lambda: len(spares(worker)) == 1, 10, "a spare made again after the first")
        """,
    )
    result = plain_project.runpytest_subprocess()
    result.assert_outcomes(passed=1)
