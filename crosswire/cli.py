"""The command line: `crosswire run`, `crosswire validate`, and the operations commands.

This is the package's one face and the only module that reaches into `flows`.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# The checkout this package lives in: the default home of raw/ and datasets/.
CHECKOUT = Path(__file__).resolve().parents[1]


def _default(name: str) -> Path:
    here = Path.cwd() / name
    return here if here.exists() or not (CHECKOUT / name).exists() else CHECKOUT / name


def _quiet_prefect(verbose: bool = False) -> None:
    # Prefect's temporary server needs longer than its default on a cold machine, and its
    # INFO logs would bury the one line a user wants from `run`.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network here to send it to


def cmd_run(args) -> int:
    _quiet_prefect(args.verbose)
    from flows.release import release_flow

    raw, datasets = Path(args.raw), Path(args.datasets)
    if not raw.is_dir():
        return _fail(f"raw directory {raw} does not exist")
    flow_fn = release_flow
    if args.task_runner != "threads" or args.dask_address:
        from flows.release import task_runner
        if args.dask_address and args.task_runner != "dask":
            return _fail("--dask-address needs --task-runner dask")
        flow_fn = release_flow.with_options(
            task_runner=task_runner(args.task_runner, args.dask_address, args.dask_workers))
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    result = flow_fn(raw=str(raw), datasets=str(datasets), cache_dir=args.cache, use_cache=not args.no_cache,
                     progress=progress)
    for r in result["rejected"]:
        print(f"rejected: {r['path']}: {r['reason']}", file=sys.stderr)
    if result["release"]:
        print(result["release"])
    else:
        print(f"no changes: v{result['previous']} is up to date")
    return 0


def cmd_validate(args) -> int:
    from . import publish
    from .validate import validate_release

    target = Path(args.path) if args.path else Path(args.datasets)
    if not target.exists():
        return _fail(f"{target} does not exist")
    found = [target] if (target / "manifest.json").exists() or publish.VERSION_DIR.match(target.name) \
        else publish.releases(target)
    if not found:
        return _fail(f"no release v<semver> under {target}")
    bad = 0
    for rel in found:
        errors = validate_release(rel)
        if errors:
            bad += 1
            print(f"{rel}: INVALID ({len(errors)} problem(s))")
            for e in errors:
                print(f"  - {e}")
        else:
            print(f"{rel}: ok")
    return 1 if bad else 0


def _fail(reason: str) -> int:
    print(f"crosswire: {reason}", file=sys.stderr)
    return 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crosswire", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    def dirs(sp):
        sp.add_argument("--raw", default=str(_default("raw")), help="raw input root (default: raw/)")
        sp.add_argument("--datasets", default=str(_default("datasets")), help="releases root (default: datasets/)")

    run = sub.add_parser("run", help="build and publish a new release from raw/ when the data changed")
    dirs(run)
    run.add_argument("-v", "--verbose", action="store_true", help="show Prefect's warnings and errors")
    run.add_argument("--cache", metavar="DIR", help="per-article stage cache (default: DATASETS/.cache)")
    run.add_argument("--no-cache", action="store_true", help="process every article again, ignoring the cache")
    run.add_argument("--task-runner", choices=("threads", "dask"), default="threads",
                     help="where tasks run: threads in this process (default) or a Dask cluster")
    run.add_argument("--dask-address", metavar="ADDR",
                     help="scheduler of an existing Dask cluster (tcp://host:8786); default: a local cluster")
    run.add_argument("--dask-workers", type=int, metavar="N", help="worker processes of the local Dask cluster (default 2)")
    run.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="progress bars per stage on stderr (default: when stderr is a terminal)")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser("validate", help="re-check published releases (schemas, checksums, keys)")
    val.add_argument("path", nargs="?", help="a release directory, or a datasets directory (all releases)")
    dirs(val)
    val.set_defaults(func=cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as e:  # one line for the user; the traceback is Prefect's log's business
        reason = " ".join(str(e).split()) or type(e).__name__
        return _fail(f"{type(e).__name__}: {reason}" if not str(e) else reason)


if __name__ == "__main__":
    sys.exit(main())
