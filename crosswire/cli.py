"""The command line: `crosswire run`, `crosswire validate`, the operations commands, and
`crosswire sql` / `crosswire diff` / `crosswire report` for reading releases.

This is the package's one face and the only module that reaches into `flows`.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from contextlib import contextmanager
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
    problem = _run_refused(args)
    if problem:
        return _fail(problem)
    result = _handed_to_watch(args)
    if result is None:
        _, result = _release_once(args)
    elif "error" in result:
        return _fail(result["error"])
    _print_result(result)
    return 0


def _handed_to_watch(args) -> dict | None:
    """The result of the run a `crosswire watch` of the same folders made for this one, or
    None: no watch took it (crosswire/handoff.py), or the options ask for this process."""
    if args.no_handoff or args.no_cache or args.recheck or args.force:
        return None
    from . import handoff

    def accepted(pid):
        if args.verbose:
            print(f"crosswire run: handed to crosswire watch (pid {pid})", file=sys.stderr, flush=True)
    try:
        return handoff.ask(Path(args.datasets), handoff.terms(args, os.environ), accepted)
    except handoff.NotTaken as e:
        if args.verbose:
            print(f"crosswire run: running here: {e}", file=sys.stderr, flush=True)
        return None
    except KeyboardInterrupt:
        _fail("interrupted; the watch goes on with the run and publishes what it finds")
        raise SystemExit(130) from None  # the shell's status for Ctrl-C


def _run_refused(args) -> str | None:
    """Why `run`'s options or folders rule a run out, or None (sets the lock timeout and the
    task runner they imply)."""
    if args.lock_timeout is not None:
        os.environ["CROSSWIRE_LOCK_TIMEOUT"] = str(args.lock_timeout)
    raw = Path(args.raw)
    if not raw.is_dir():
        return f"raw directory {raw} does not exist"
    if args.dask_address and args.task_runner == "threads":
        return "--dask-address needs --task-runner dask (or no --task-runner)"
    args.task_runner = args.task_runner or ("dask" if args.dask_address else "threads")
    from . import runguard

    try:
        runguard.check(raw, Path(args.datasets), force=args.force)
    except runguard.RunRefused as e:
        return str(e)
    return None


def _release_once(args, code: str | None = None) -> tuple[bool, dict]:
    """One run as `crosswire run` makes it, once _run_refused let it: (False, the recorded
    outcome) when the no-op record says nothing changed, else (True, the flow's result).
    Raises what the run raised. `code`: the code fingerprint the caller runs (a resident
    process's, taken when it started); when the files on disk differ, it raises
    flows.watch.CodeChanged before the flow starts: the record would give the new code's
    fingerprint to what the old code made."""
    from . import runguard, unchanged

    raw, datasets = Path(args.raw), Path(args.datasets)
    # --public is the CROSSWIRE_PUBLIC setting for this run: part of what the no-op record compares
    with _setting("CROSSWIRE_PUBLIC", None if args.public is None else ("1" if args.public else "0")):
        record = None
        if not args.no_cache:
            from .cache import default_dir
            cache_root = Path(args.cache) if args.cache else default_dir(datasets)
            record = unchanged.record_path(cache_root, raw, datasets)
            skip = (datasets, cache_root)
            # nothing changed since the last run: say so without starting the flow
            prior = unchanged.read_record(record)  # one read for the check and the snapshot
            known = None if args.recheck else unchanged.check(record, raw, datasets, skip, prior)
            if known is not None:
                return False, {"rejected": known["rejected"], "release": None, "previous": known["release"][1:]}
            snapshot = unchanged.Snapshot(raw, skip, prior)  # before the flow reads anything
            if code is not None and snapshot.code != code:
                from flows.watch import CodeChanged
                raise CodeChanged()
        with _stop_on_signals():
            result = _run_release(args, raw, datasets)
        runguard.record(raw, datasets)
        if record is not None:
            unchanged.record(record, snapshot, datasets, result)
    return True, result


def _between_checks(seconds: float, desk=None) -> None:
    """The wait between two checks of `watch` (its own name, so a test can act in it), cut
    short when a `crosswire run` hands its run over (`desk`: handoff.Desk, or None)."""
    if desk is not None:
        desk.wait(seconds)
        return
    import time
    time.sleep(seconds)


def cmd_watch(args) -> int:
    """`run` every --every seconds in this one process (flows/watch.py says why)."""
    _quiet_prefect(args.verbose)
    if args.no_cache or args.recheck:  # every check would run the whole flow again
        return _fail("watch answers its checks from the run record in the cache: --no-cache and --recheck are "
                     "`run`'s options only")
    problem = _run_refused(args)
    if problem:
        return _fail(problem)
    from flows import watch

    from . import handoff, unchanged

    started = None  # the code fingerprint this process runs, taken with the watch's settings set

    desk = None  # where `crosswire run` hands its runs over (crosswire/handoff.py)

    def check() -> watch.Outcome:
        handed = desk.take() if desk else []  # runs handed over before this check: it answers them
        try:
            ran, result = _release_once(args, started)
        except watch.CodeChanged as e:  # the client runs the new code itself
            handoff.Desk.answer(handed, {"fallback": str(e)})
            raise
        except Exception as e:
            handoff.Desk.answer(handed, {"error": " ".join(str(e).split()) or type(e).__name__})
            raise
        except BaseException:  # stopped by a signal mid-run: the client may run it itself
            handoff.Desk.answer(handed, {"fallback": "the watch was stopped during the run"})
            raise
        handoff.Desk.answer(handed, {"result": {k: result.get(k) for k in ("release", "rejected", "previous")}})
        return watch.Outcome(ran, result.get("release"), tuple(result.get("rejected", ())))

    def report(outcome: watch.Outcome, seconds: float) -> None:
        if outcome.ran or args.verbose:
            for r in outcome.rejected:
                print(f"rejected: {r['path']}: {r['reason']}", file=sys.stderr)
            if outcome.release:
                print(outcome.release, flush=True)
            what = "published" if outcome.release else "ran, nothing to publish" if outcome.ran else "no changes"
            print(f"crosswire watch: {what} ({seconds:.2f} s)", file=sys.stderr, flush=True)

    def failed(error: BaseException) -> None:
        reason = " ".join(str(error).split()) or type(error).__name__
        print(f"crosswire watch: {reason}", file=sys.stderr, flush=True)

    print(f"crosswire watch: checking {args.raw} every {args.every:g} s (Ctrl-C stops)", file=sys.stderr, flush=True)
    from flows.release import keep_long_lived_out_of_gc, preload

    def after(outcome: watch.Outcome) -> None:
        if outcome.ran:  # what the run keeps (its caches) is long-lived too; its garbage goes now
            keep_long_lived_out_of_gc()

    preload(Path(args.datasets))
    keep_long_lived_out_of_gc()
    desk = handoff.Desk(Path(args.datasets), handoff.terms(args, os.environ))
    not_served = desk.open()
    if not_served:
        desk = None
        if args.verbose:
            print(f"crosswire watch: `crosswire run` will not hand runs to this watch: {not_served}",
                  file=sys.stderr, flush=True)
    with _setting("CROSSWIRE_PUBLIC", None if args.public is None else ("1" if args.public else "0")):
        started = unchanged.code_fingerprint()  # --public is part of what the run record compares
        try:
            with _stop_on_signals():  # SIGTERM between runs too, not only in one
                return watch.watch(check, started, unchanged.code_fingerprint, args.every, checks=args.checks,
                                   max_failures=args.max_failures, sleep=lambda s: _between_checks(s, desk),
                                   report=report, failed=failed, after=after)
        except _Interrupted as e:
            print(f"crosswire watch: stopped by {e} (a run in progress then publishes nothing; the articles it "
                  f"finished stay in the cache)", file=sys.stderr, flush=True)
            return 128 + e.signum
        finally:
            if desk is not None:  # runs still waiting go back to their clients
                desk.close("the watch stopped before it ran the check")
            gc.unfreeze()  # the process as it was for a caller that goes on (a test)


@contextmanager
def _setting(name: str, value: str | None):
    """os.environ[name] = value for the block (None: left as it is), restored after."""
    before = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if value is not None:
            if before is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = before


def _run_release(args, raw: Path, datasets: Path) -> dict:
    """The release flow through Prefect when a server is there to show it, else its steps
    without Prefect's API (no temporary server: nothing to start, nothing left behind)."""
    api = _prefect_api(args.prefect)
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    options = dict(raw=str(raw), datasets=str(datasets), cache_dir=args.cache, use_cache=not args.no_cache,
                   progress=progress, batch_size=args.batch_size, nlp_processes=args.nlp_processes,
                   public=args.public)
    if api is None:
        from flows.release import local_release
        return local_release(**options, task_runner=args.task_runner, address=args.dask_address,
                             workers=args.dask_workers)
    from flows.release import release_flow, task_runner
    flow_fn = release_flow
    if args.task_runner != "threads":
        flow_fn = release_flow.with_options(
            task_runner=task_runner(args.task_runner, args.dask_address, args.dask_workers))
    return flow_fn(**options)


class _ApiDown(RuntimeError):
    pass


def _prefect_api(mode: str) -> str | None:
    """Which Prefect API a run reports to: PREFECT_API_URL (env or profile) when set, else
    the server `crosswire server start` left running; None: run without Prefect's API.
    mode "always" lets Prefect start its temporary server when there is neither."""
    if mode == "never":
        return None
    from flows import prefect_server as deploy  # not flows.deploy: that imports Prefect

    url = deploy.configured_api()
    if url:
        if not deploy.api_answers(url):
            raise _ApiDown(f"no Prefect server answers at PREFECT_API_URL={url}: start it (`crosswire server "
                           f"start` or `prefect server start`), or unset PREFECT_API_URL to run without one")
        return url
    found = deploy.local_server()
    if found:
        os.environ["PREFECT_API_URL"] = found["url"]
        return found["url"]
    return "ephemeral" if mode == "always" else None


def _print_result(result: dict) -> None:
    for r in result["rejected"]:
        print(f"rejected: {r['path']}: {r['reason']}", file=sys.stderr)
    if result["release"]:
        print(result["release"])
    else:
        print(f"no changes: v{result['previous']} is up to date")


@contextmanager
def _stop_on_signals():
    """SIGINT and SIGTERM stop the run: work ends between two articles (finished ones stay
    in the cache), nothing is published, child processes are ended, exit status 130/143."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # imported before the handlers are set, never in one: a signal that lands while this
    # import runs would meet a half-initialised module, and the ImportError it raised was
    # swallowed by an optional import inside Prefect's, so the run went on ignoring it.
    # Before this line a signal has its default effect: no child process exists yet.
    from flows.release import request_stop, stop_children

    received = []

    def handler(signum, frame):
        request_stop()
        if not received:
            received.append(signum)
            raise _Interrupted(signum)

    before = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except BaseException as e:
        if isinstance(e, _Interrupted):  # a block of the same kind inside took the signal
            raise
        if received or isinstance(e, KeyboardInterrupt):
            stop_children()
            raise _Interrupted(received[0] if received else signal.SIGINT) from None
        raise
    finally:
        for s, h in before.items():
            signal.signal(s, h)


class _Interrupted(KeyboardInterrupt):
    def __init__(self, signum: int):
        import signal
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def cmd_server(args) -> int:
    from flows import deploy

    if args.action == "start":
        try:
            rec = deploy.start_server(args.port)
        except deploy.ServeError as e:
            return _fail(str(e))
        state = "started" if rec["started"] else "already running"
        print(f"Prefect server {state} at {rec['ui']} (pid {rec['pid']}); `crosswire run` reports to it "
              f"until `crosswire server stop`", file=sys.stderr)
        print(rec["url"])
        return 0
    if args.action == "stop":
        rec = deploy.stop_server()
        print("stopped the Prefect server at " + rec["ui"] if rec else "no server started by crosswire",
              file=sys.stderr)
        return 0
    rec = deploy.local_server()
    if rec is None:
        print("no server started by crosswire is running", file=sys.stderr)
        return 1
    print(rec["url"])
    return 0


def cmd_validate(args) -> int:
    from . import publish
    from .load import VERSION_DIR
    from .validate import validate_release

    target = Path(args.path) if args.path else Path(args.datasets)
    if not target.exists():
        return _fail(f"{target} does not exist")
    if target.is_file() and target.name == publish.POINTER:  # datasets/latest: the release it names
        named = publish.read_pointer(target.parent)
        target = target.parent / named if named else target.parent
    single = (target / "manifest.json").exists() or VERSION_DIR.match(target.name)
    found = [target] if single else publish.published(target)
    if not single:
        for path, why in publish.incomplete(target):
            print(f"{path}: ignored, not a release ({why})")
        newest, named = publish.latest(target), publish.read_pointer(target)
        if newest is not None and named != newest.name:
            print(f"{target / publish.POINTER}: names {named or 'nothing'}, the newest release is "
                  f"{newest.name} (readers use {newest.name})")
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


def cmd_add_source(args) -> int:
    from .scaffold import ScaffoldError, add_source

    try:
        path = add_source(Path(args.raw), args.id, name=args.name, homepage=args.homepage, country=args.country,
                          language=args.language, kind=args.kind, feeds=args.feed or [])
    except (ScaffoldError, ValueError) as e:
        return _fail(str(e))
    print(path)
    return 0


def _fetch_options(args):
    from .fetch import Options

    return Options(timeout=args.timeout, max_bytes=args.max_bytes, retries=args.retries,
                   allow_private=args.allow_private_network, delay=getattr(args, "delay", 0.0),
                   limit=getattr(args, "limit", None))


def cmd_add(args) -> int:
    from . import fetch, scaffold

    meta = {"url": args.url, "published": args.published, "title": args.title, "event": args.event,
            "language": args.language, "authors": args.author or None, "note": args.note}
    try:
        if "://" in args.target:
            fetch.check_url(args.target)
            if args.url:
                return _fail("--url is for files; a downloaded page's URL is where it came from")
            stored = fetch.add_url(Path(args.raw), args.source, args.target, _fetch_options(args),
                                   sidecar={k: v for k, v in meta.items() if v})
        else:
            stored = scaffold.add_file(Path(args.raw), args.source, Path(args.target), meta)
    except (scaffold.ScaffoldError, fetch.FetchError, ValueError) as e:
        return _fail(str(e))
    print(stored.describe(Path(args.raw)))
    return 0


def cmd_fetch(args) -> int:
    from . import fetch, scaffold

    raw = Path(args.raw)
    if not raw.is_dir():
        return _fail(f"raw directory {raw} does not exist")
    try:
        reports = fetch.fetch(raw, args.source, _fetch_options(args))
    except scaffold.ScaffoldError as e:
        return _fail(str(e))
    added = failed = skipped = feeds = 0
    for sid, rep in reports.items():
        for path in rep.added:
            print(f"added: {path}")
        for f in rep.failed:
            print(f"failed: {sid}: {f['url']}: {f['reason']}", file=sys.stderr)
        added, failed, skipped, feeds = added + len(rep.added), failed + len(rep.failed), \
            skipped + rep.skipped, feeds + rep.feeds
    print(f"fetched {added} new article(s) from {feeds} feed(s) of {len(reports)} source(s); "
          f"{skipped} already stored, {failed} failed", file=sys.stderr)
    return 0  # failures are reported above; they never make the whole fetch fail


def cmd_serve(args) -> int:
    # Serving is watched: keep Prefect's INFO logs (where the UI is, runs starting) unless told otherwise.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    _quiet_prefect()
    from flows import deploy

    raw = Path(args.raw)
    if not raw.is_dir():
        return _fail(f"raw directory {raw} does not exist")
    try:
        deploy.check_cron(args.cron)
        url = deploy.check_server()
        print(f"serving deployment {args.name!r} on {args.cron!r} against {url}; runs appear in the Prefect UI",
              file=sys.stderr)
        deploy.serve(raw, Path(args.datasets), args.cron, name=args.name, sources=args.source, cache_dir=args.cache,
                     allow_private_network=args.allow_private_network)
    except deploy.ServeError as e:
        return _fail(str(e))
    return 0


def cmd_sql(args) -> int:
    from . import load

    try:
        import duckdb
    except ImportError:
        return _fail("crosswire sql needs the duckdb package (pip install duckdb)")
    try:
        rel = load.release(args.release, args.datasets)
    except load.ReleaseNotFound as e:
        return _fail(str(e))
    try:
        con = rel.connect()
    except duckdb.Error as e:  # a table file missing or unreadable
        return _fail(f"cannot open the tables of {rel.path}: {' '.join(str(e).split())}")
    try:
        cur = con.execute(args.query)
    except duckdb.Error as e:
        return _fail(f"the query failed on {rel.path}: {' '.join(str(e).split())}")
    if cur.description is None:  # a statement without a result (SET, CREATE VIEW, ...)
        return 0
    names = [d[0] for d in cur.description]
    write_rows(names, cur.fetchall(), args.format, sys.stdout)
    return 0


def write_rows(names: list[str], rows: list[tuple], fmt: str, out) -> None:
    """Query results as an aligned text table, CSV, or JSON (a list of objects)."""
    if fmt == "json":
        import json
        json.dump([dict(zip(names, r)) for r in rows], out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
    elif fmt == "csv":
        import csv
        w = csv.writer(out, lineterminator="\n")
        w.writerow(names)
        w.writerows(["" if v is None else v for v in r] for r in rows)
    else:
        cells = [[_cell(v) for v in r] for r in rows]
        widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
        for r in [names, ["-" * w for w in widths], *cells]:
            out.write("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _cell(value, width: int = 60) -> str:
    text = "NULL" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def cmd_diff(args) -> int:
    import json

    from . import diff, load

    try:
        a, b = (load.locate(x, args.datasets) for x in (args.a, args.b))
        d = diff.diff_releases(a, b, examples=args.examples)
    except load.ReleaseNotFound as e:
        return _fail(str(e))
    if args.json:
        print(json.dumps(d, indent=1, ensure_ascii=False, default=str))
    else:
        print(diff.format_diff(d), end="")
    return 0


def cmd_report(args) -> int:
    from . import load, report

    try:
        rel = load.release(args.release, args.datasets)
        previous = load.locate(args.previous, args.datasets) if args.previous else report.previous_release(rel.path)
    except load.ReleaseNotFound as e:
        return _fail(str(e))
    out = Path(args.out or f"report-v{rel.version}.html")
    out.write_text(report.build_report(rel.path, previous), encoding="utf-8")
    against = f" (changes since v{load.Release(previous).version})" if previous else " (no previous release to compare)"
    print(f"wrote {out} for {rel.path}{against}; releases are immutable, so the page is not written into them")
    return 0


def version_text() -> str:
    """The package version and the stage versions a release made now would record."""
    from crosswire import __version__
    from flows.release import stage_versions  # the one list of stages (imports Prefect: a second or two)

    stages = ", ".join(f"{k} {v}" for k, v in stage_versions().items())
    return f"crosswire {__version__} (stages: {stages})"


class _Version(argparse.Action):
    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def _fail(reason: str) -> int:
    print(f"crosswire: {reason}", file=sys.stderr)
    return 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crosswire", description="Build and publish a versioned open dataset of "
                                "how news outlets report the same events.")
    p.add_argument("--version", action=_Version, help="print the package and stage versions and exit")
    sub = p.add_subparsers(dest="command", required=True)

    def dirs(sp):
        sp.add_argument("--raw", default=str(_default("raw")), help="raw input root (default: raw/)")
        sp.add_argument("--datasets", default=str(_default("datasets")), help="releases root (default: datasets/)")

    def run_options(sp):
        dirs(sp)
        sp.add_argument("-v", "--verbose", action="store_true", help="show Prefect's warnings and errors")
        sp.add_argument("--lock-timeout", type=float, metavar="SECONDS",
                        help="how long to wait for another run publishing to the same datasets/ "
                             "(default 600; 0 refuses at once)")
        sp.add_argument("--cache", metavar="DIR", help="per-article stage cache (default: DATASETS/.cache)")
        sp.add_argument("--no-cache", action="store_true", help="process every article again, ignoring the cache")
        sp.add_argument("--force", action="store_true",
                        help="publish into a datasets/ built from another raw folder (it then records this one)")
        sp.add_argument("--task-runner", choices=("threads", "dask"), default=None,
                        help="where tasks run: threads in this process (default) or a Dask cluster "
                             "(default with --dask-address)")
        sp.add_argument("--dask-address", metavar="ADDR",
                        help="scheduler of an existing Dask cluster (tcp://host:8786): its workers do the NLP and "
                             "write their results to the cache when they see its directory (docs/scaling.md); "
                             "default with --task-runner dask: a local cluster")
        sp.add_argument("--dask-workers", type=int, metavar="N", help="worker processes of the local Dask cluster (default 2)")
        sp.add_argument("--public", action=argparse.BooleanOptionalAction, default=None,
                        help="a release for publication: articles.text only for outlets whose licence allows "
                             "redistribution, else null with text_sha256 (default: CROSSWIRE_PUBLIC, else off)")
        sp.add_argument("--batch-size", type=int, default=50, metavar="N", help="articles per task (default 50)")
        sp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bars per stage on stderr (default: when stderr is a terminal)")
        sp.add_argument("--recheck", action="store_true",
                        help="run the flow even when nothing changed since the last run (the cache still serves)")
        sp.add_argument("--nlp-processes", type=int, metavar="N",
                        help="worker processes for the NLP of many articles (default: the cores, at most 2; "
                             "CROSSWIRE_NLP_PROCESSES)")
        sp.add_argument("--prefect", choices=("auto", "always", "never"), default="auto",
                        help="report to Prefect: auto (default) when PREFECT_API_URL is set or `crosswire server "
                             "start` runs one, else run without Prefect's API; always (Prefect's temporary server "
                             "when there is none, ~10 s); never")

    run = sub.add_parser("run", help="build and publish a new release from raw/ when the data changed")
    run_options(run)
    run.add_argument("--no-handoff", action="store_true",
                     help="run in this process even when a `crosswire watch` of the same folders and settings "
                          "is running (by default it makes the run, without this process's start-up)")
    run.set_defaults(func=cmd_run)

    wat = sub.add_parser("watch", help="check raw/ every few seconds and publish when it changed, from one "
                         "long-lived process (spaCy stays loaded; `run`'s options)")
    run_options(wat)
    wat.add_argument("--every", type=float, default=60.0, metavar="SECONDS",
                     help="seconds between the end of one check and the start of the next (default 60)")
    wat.add_argument("--checks", type=int, metavar="N", help="stop after N checks (default: until interrupted)")
    wat.add_argument("--max-failures", type=int, default=3, metavar="N",
                     help="stop with exit status 1 after N failed runs in a row (default 3)")
    wat.set_defaults(func=cmd_watch)

    srvr = sub.add_parser("server", help="a local Prefect server (UI) that later runs report to")
    srvr.add_argument("action", choices=("start", "stop", "status"))
    srvr.add_argument("--port", type=int, default=4200, help="port of the server's API and UI (default 4200)")
    srvr.set_defaults(func=cmd_server)

    src = sub.add_parser("add-source", help="scaffold raw/ID/source.toml for a new outlet")
    src.add_argument("id", help="the source ID: a lowercase slug (a-z, 0-9, - and _)")
    src.add_argument("--name", required=True, help="the outlet's name")
    src.add_argument("--homepage", required=True, help="its home page (http or https URL)")
    src.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 country code, e.g. GB")
    src.add_argument("--language", required=True, help="BCP 47 language tag, e.g. en or en-GB")
    src.add_argument("--kind", default="other", choices=("wire", "national", "regional", "state", "other"))
    src.add_argument("--feed", action="append", metavar="URL", help="an RSS, Atom or sitemap URL (repeatable)")
    dirs(src)
    src.set_defaults(func=cmd_add_source)

    def fetching(sp):
        sp.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default 20)")
        sp.add_argument("--max-bytes", type=int, default=5 * 1024 * 1024, help="size limit per download")
        sp.add_argument("--retries", type=int, default=2, help="further attempts, with back-off (default 2)")
        sp.add_argument("--allow-private-network", action="store_true",
                        help="allow loopback and private addresses (an intranet; refused by default)")

    add = sub.add_parser("add", help="copy a saved page or text file, or download a URL, into raw/ID/")
    add.add_argument("target", metavar="PATH-or-URL", help="a .txt or .html file, or an http(s) URL")
    add.add_argument("--source", required=True, metavar="ID", help="the source (raw/ID/) it belongs to")
    add.add_argument("--url", help="where a saved file came from (sidecar 'url')")
    add.add_argument("--published", help="publication time, ISO 8601")
    add.add_argument("--title", help="the headline (also names the file)")
    add.add_argument("--author", action="append", help="an author (repeatable)")
    add.add_argument("--event", help="an explicit event key shared by coverage of one event")
    add.add_argument("--language", help="BCP 47 language of the article, when not the source's")
    add.add_argument("--note", help="a free note kept in the sidecar")
    fetching(add)
    dirs(add)
    add.set_defaults(func=cmd_add)

    fet = sub.add_parser("fetch", help="download new articles listed by the sources' feeds into raw/")
    fet.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable; default all)")
    fet.add_argument("--limit", type=int, metavar="N", help="at most N new articles per source")
    fet.add_argument("--delay", type=float, default=0.5, help="seconds between article downloads (default 0.5)")
    fetching(fet)
    dirs(fet)
    fet.set_defaults(func=cmd_fetch)

    srv = sub.add_parser("serve", help="run fetch then release on a cron schedule (needs `prefect server start`)")
    srv.add_argument("--cron", required=True, help='a cron schedule, e.g. "0 6 * * *" (daily at 06:00)')
    srv.add_argument("--name", default="crosswire-scheduled", help="the deployment's name in Prefect")
    srv.add_argument("--source", action="append", metavar="ID", help="fetch only this source (repeatable)")
    srv.add_argument("--cache", metavar="DIR", help="per-article stage cache (default: DATASETS/.cache)")
    srv.add_argument("--allow-private-network", action="store_true", help="let fetch reach private addresses")
    dirs(srv)
    srv.set_defaults(func=cmd_serve)

    val = sub.add_parser("validate", help="re-check published releases (every manifest field, checksums, "
                                          "SHA256SUMS, data package, schemas, keys)")
    val.add_argument("path", nargs="?", help="a release directory, or a datasets directory (all releases)")
    dirs(val)
    val.set_defaults(func=cmd_validate)

    sql = sub.add_parser("sql", help="run a DuckDB query over a release (every table a view, plus statement_view)")
    sql.add_argument("query", help='SQL, e.g. "SELECT outlet, count(*) FROM statement_view GROUP BY outlet"')
    sql.add_argument("--release", metavar="VERSION", help="a version (v1.1.0) or release folder (default: newest)")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (default table)")
    sql.add_argument("--datasets", default=str(_default("datasets")), help="releases root (default: datasets/)")
    sql.set_defaults(func=cmd_sql)

    dif = sub.add_parser("diff", help="what changed between two releases: rows, columns, examples")
    dif.add_argument("a", metavar="A", help="the earlier release: a version (v1.0.0) or a release folder")
    dif.add_argument("b", metavar="B", help="the later release: a version, a release folder, or 'latest'")
    dif.add_argument("--json", action="store_true", help="the whole diff as JSON")
    dif.add_argument("--examples", type=int, default=3, metavar="N", help="examples per table and change (default 3)")
    dif.add_argument("--datasets", default=str(_default("datasets")), help="releases root (default: datasets/)")
    dif.set_defaults(func=cmd_diff)

    rep = sub.add_parser("report", help="one self-contained HTML page showing a release (events, agreement, "
                                        "speakers, changes)")
    rep.add_argument("release", nargs="?", metavar="VERSION", help="a version (v1.1.0) or release folder "
                                                                   "(default: newest)")
    rep.add_argument("--previous", metavar="VERSION", help="the release to compare with (default: the one the "
                                                           "manifest names as previous, when it is there)")
    rep.add_argument("--out", metavar="FILE", help="where to write the page (default: report-<version>.html here)")
    rep.add_argument("--datasets", default=str(_default("datasets")), help="releases root (default: datasets/)")
    rep.set_defaults(func=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except _Interrupted as e:
        _fail(f"stopped by {e}; nothing was published, finished articles are kept in the cache")
        if argv is None:  # the console script: its children are ended, its files closed; skip
            sys.stdout.flush()  # the interpreter's teardown of Prefect's modules (seconds)
            sys.stderr.flush()
            os._exit(128 + e.signum)
        return 128 + e.signum
    except KeyboardInterrupt:  # Ctrl-C before the run's own handler was set: the shell's usual status
        _fail("interrupted")
        return 130  # 128 + SIGINT
    except Exception as e:  # one line for the user; the traceback is Prefect's log's business
        reason = " ".join(str(e).split()) or type(e).__name__
        return _fail(f"{type(e).__name__}: {reason}" if not str(e) else reason)


if __name__ == "__main__":
    sys.exit(main())
