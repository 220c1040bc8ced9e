"""A small closed-loop HTTP load generator for loopback: N connections, keep-alive, fixed time.

Runs in its own processes so that the client and gunicorn share the machine the same way for the
page under test and for the minimal view.
"""

from __future__ import annotations

import http.client
import multiprocessing
import time


def _worker(
    host: str, port: int, path: str, headers: dict, seconds: float, connections: int, queue
) -> None:
    import threading

    counts = []
    errors = []

    def loop():
        done = failed = 0
        conn = http.client.HTTPConnection(host, port, timeout=30)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done += 1
                else:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.close()
        counts.append(done)
        errors.append(failed)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((sum(counts), sum(errors), time.perf_counter() - started))


def requests_per_second(
    host: str,
    port: int,
    path: str,
    *,
    headers: dict | None = None,
    seconds: float = 10.0,
    processes: int = 2,
    connections_per_process: int = 5,
) -> dict:
    """Requests per second of successful (200) responses with concurrent keep-alive clients."""
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(
            target=_worker,
            args=(host, port, path, headers or {}, seconds, connections_per_process, queue),
        )
        for _ in range(processes)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    # Timed inside the clients, so starting their processes is not counted.
    elapsed = max(r[2] for r in results)
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    return {
        "requests_per_second": round(ok / elapsed, 1),
        "ok": ok,
        "errors": failed,
        "seconds": round(elapsed, 3),
        "concurrency": processes * connections_per_process,
    }
