"""The CivicSkills benchmark: build a synthetic city, measure pages and operations, write results.

    make bench                                   # SQLite, default scale (20,000 staff)
    DATABASE_URL=postgres://… make bench          # PostgreSQL (a database named <name>_bench is
                                                  # dropped and created next to the one given)
    .venv/bin/python bench/run.py --scale 0.05    # a quick run at 5 % of the default sizes
    .venv/bin/python bench/run.py --reuse --only lesson_page,my_learning
                                                  # re-measure pages on the city the last run
                                                  # built (no regeneration; prints, writes nothing)

Results: bench/results/latest.json (+ latest-<vendor>.json) and the table in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def _fresh_database_url(base_url: str | None, *, reuse: bool = False, tag: str = "bench") -> str:
    """A URL of an empty database for this run (SQLite file or a dropped/created PG database);
    with ``reuse``, the URL of the database the last run built, left as it is."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not base_url or base_url.startswith("sqlite"):
        path = RESULTS / f"{tag}.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(base_url)
    name = f"{settings['NAME']}_{tag}"
    prefix, _sep, _old = base_url.rpartition("/")
    if reuse:
        return f"{prefix}/{name}"
    admin = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{prefix}/{name}"


SMALL_SCALE = 0.05  # 1,000 staff: the other end of "the same query count at any size"


def _page_query_counts(measurements: dict) -> dict[str, int]:
    return {name: m["queries"] for name, m in measurements.items() if "queries" in m}


def _query_counts_by_scale(args, scale, measurements: dict):
    """Build a 1,000-staff city in its own database (a child run), count each page's queries
    there, and compare with this run's counts."""
    from bench.generate import Scale
    from bench.measure import Measurement

    name = "query_counts_by_scale"
    pages = _page_query_counts(measurements)
    out = RESULTS / f"counts-{args.tag}_small.json"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"Counting the pages' queries in a city at {SMALL_SCALE:g} of the sizes…", flush=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--scale", str(SMALL_SCALE)]
    command += ["--tag", f"{args.tag}_small", "--runs", "1", "--skip-load", "--no-doc"]
    command += ["--only", ",".join(pages), "--counts-out", str(out)]
    child = subprocess.run(command, cwd=ROOT, env={**os.environ}, capture_output=True, text=True)
    if child.returncode != 0 or not out.exists():
        error = (child.stderr or child.stdout).strip().splitlines()[-1:] or ["no output"]
        return Measurement(name=name, extra={"error": error[0]}, met=False)
    small = json.loads(out.read_text())
    small_staff = Scale().scaled(SMALL_SCALE).staff
    differ = {page: [small.get(page), n] for page, n in pages.items() if small.get(page) != n}
    extra = {
        "staff": [small_staff, scale.staff],
        "pages": len(pages),
        "differ": differ or "none",
        "seconds": round(time.perf_counter() - started, 1),
    }
    target = f"each page: the same query count at {small_staff:,} staff as at {scale.staff:,}"
    return Measurement(name=name, extra=extra, target=target, met=not differ)


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default sizes")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page")
    parser.add_argument("--load-seconds", type=float, default=10.0)
    parser.add_argument(
        "--skip-load", action="store_true", help="skip the gunicorn throughput test"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the city the last run built (same database, no regeneration); "
        "bulk operations have already changed it, so use with --only for pages",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated measurement names; results are printed, not written",
    )
    parser.add_argument(
        "--tag",
        default="bench",
        help="names the database (<name>_<tag> or <tag>.sqlite3), so runs can sit side by side",
    )
    parser.add_argument(
        "--counts-out",
        default="",
        help="write each page's query count to this JSON file (used for the small city)",
    )
    args = parser.parse_args(argv)
    if not args.tag.isidentifier():
        parser.error("--tag must be letters, digits and underscores")
    only = {name.strip() for name in args.only.split(",") if name.strip()}

    url = _fresh_database_url(os.environ.get("DATABASE_URL"), reuse=args.reuse, tag=args.tag)
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["BENCH_CACHE_PREFIX"] = f"{args.tag}-{time.time_ns()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import scenarios
    from bench.generate import City, Scale

    scale = Scale().scaled(args.scale) if args.scale != 1.0 else Scale()
    results: dict = {
        "scale": scale.__dict__,
        "machine": _machine(),
        "database": connection.vendor,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "measurements": {},
    }
    started = time.perf_counter()
    city_file = RESULTS / f"city-{args.tag}-{connection.vendor}.json"
    if args.reuse:
        if not city_file.exists():
            parser.error(f"--reuse needs a city built by an earlier run ({city_file} is missing)")
        print(f"Reusing the {connection.vendor} city of the last run…", flush=True)
        call_command("migrate", verbosity=0)
        city = City(**json.loads(city_file.read_text()))
        city.lesson_ids_by_course = {int(k): v for k, v in city.lesson_ids_by_course.items()}
    else:
        print(f"Migrating a fresh {connection.vendor} database…", flush=True)
        call_command("migrate", verbosity=0)
        rng = random.Random(2026)  # noqa: S311
        city, generation = scenarios.build_city(scale, rng)
        results["generation_seconds"] = generation
        print(f"  generation seconds: {generation}", flush=True)
        city_file.write_text(json.dumps(asdict(city)))
    # Building the city leaves millions of long-lived objects in this process; without this
    # a full garbage collection (~250 ms) lands inside some timed request. A server process has
    # nothing like that heap, so freeze it out of the collector before measuring.
    gc.collect()
    gc.freeze()
    for name, measurement in scenarios.run_all(city, scale, runs=args.runs, only=only):
        print(f"  {name}: {measurement.as_dict()}", flush=True)
        results["measurements"][name] = measurement.as_dict()
    if args.counts_out:
        Path(args.counts_out).write_text(json.dumps(_page_query_counts(results["measurements"])))
        return 0
    if not only:
        measurement = _query_counts_by_scale(args, scale, results["measurements"])
        print(f"  {measurement.name}: {measurement.as_dict()}", flush=True)
        results["measurements"][measurement.name] = measurement.as_dict()
    if only:
        if not only.isdisjoint({"rps_lesson_page", "rps_my_learning"}) and not args.skip_load:
            _run_load(city, args, results)
        print(f"Done in {round(time.perf_counter() - started, 1)} s (--only: nothing written)")
        return 0
    if not args.skip_load:
        _run_load(city, args, results)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"latest-{connection.vendor}.json").write_text(text)
    if not args.no_doc:
        from bench.report import write_markdown

        write_markdown(RESULTS, ROOT / "docs" / "benchmarks.md")
    print(f"Done in {results['total_seconds']} s; results in {RESULTS / 'latest.json'}")
    return 0


def _run_load(city, args, results: dict) -> None:
    """Throughput through gunicorn on loopback (see scenarios.run_load)."""
    from bench import scenarios

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",  # one per core: the load generator shares the machine; more workers
            str(os.cpu_count() or 2),  # only contend (measured: the baseline halved with 5)
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    try:
        for name, measurement in scenarios.run_load(city, port, seconds=args.load_seconds):
            print(f"  {name}: {measurement.as_dict()}", flush=True)
            results["measurements"][name] = measurement.as_dict()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
