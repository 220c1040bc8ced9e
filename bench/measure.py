"""Timing helpers: warm-up, repeated runs, median / p95, SQL query counts, peak memory."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Measurement:
    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    runs: int = 0
    queries: int | None = None
    extra: dict = field(default_factory=dict)
    target: str = ""
    met: bool | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, {}, "")}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_repeated(fn: Callable[[], object], *, warmup: int = 3, runs: int = 20) -> list[float]:
    """Milliseconds of each of ``runs`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def measure_call(
    name: str,
    fn: Callable[[], object],
    *,
    warmup: int = 3,
    runs: int = 20,
    target: str = "",
    limit_median: float | None = None,
    limit_p95: float | None = None,
) -> Measurement:
    timings = time_repeated(fn, warmup=warmup, runs=runs)
    queries = count_queries(fn)  # of a warm request, as every request after the first is
    result = Measurement(
        name=name,
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 95), 2),
        runs=runs,
        queries=queries,
        target=target,
    )
    if limit_median is not None:
        result.met = result.median_ms <= limit_median and (
            limit_p95 is None or result.p95_ms <= limit_p95
        )
    return result


def timed_once(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def peak_memory_mb(fn: Callable[[], object]) -> tuple[float, float, object]:
    """(seconds, peak MB of Python allocations, result) of one call, traced with tracemalloc."""
    tracemalloc.start()
    try:
        started = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak / (1024 * 1024), value
