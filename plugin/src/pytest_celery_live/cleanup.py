"""``python -m pytest_celery_live.cleanup RUN_ID...``: remove what killed runs left, by run id only.

For each id: SIGKILL any process still carrying it (the lifeline normally did that already),
delete the queues that run declared on its broker, and forget its record. ``--list`` shows the
runs that left a record (a run that ended normally leaves none).
"""

from __future__ import annotations

import argparse
import sys

from .runs import RunRecord, kill_processes_of, remove_run_queues, runs_dir


def main(argv: list[str] | None = None) -> int:
    """Clean up the named runs; 0 when all were found, 1 when one left no record."""
    parser = argparse.ArgumentParser(prog="python -m pytest_celery_live.cleanup")
    parser.add_argument("run_ids", nargs="*", metavar="RUN_ID", help="as the run's header said")
    parser.add_argument("--list", action="store_true", help="runs that left something behind")
    args = parser.parse_args(argv)
    if args.list or not args.run_ids:
        for path in sorted(runs_dir().glob("*.json")):
            record = RunRecord.load(path.stem)
            print(f"{record.run_id}: {len(record.queues)} queue(s) on {record.broker_url}")
        return 0
    status = 0
    for run_id in args.run_ids:
        killed = kill_processes_of(run_id)
        try:
            record = RunRecord.load(run_id)
        except FileNotFoundError:
            print(f"{run_id}: no record in {runs_dir()} (killed {len(killed)} process(es))")
            status = 1
            continue
        removed = remove_run_queues(record)
        record.forget()
        print(f"{run_id}: killed {len(killed)} process(es), removed {len(removed)} queue(s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
