"""Benchmark: certificate PDFs rendered per second on one core.

Run from the repository root:

    .venv/bin/python bench/bench_certificates.py [--count 1000] [--json]

or import it and call ``run(count)``. One process, one thread; no Django.
Names vary (accents, apostrophes, hyphens, and some letters outside the
pre-built font subset), and so do codes, URLs, titles and expiry dates, so
the QR code and text layout are recomputed for every certificate.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.certificates.pdf import CertificateData, render_certificates  # noqa: E402

FIRST_NAMES = [
    "Zoë",
    "José",
    "Ana",
    "Björn",
    "Chloé",
    "Siobhán",
    "Łukasz",
    "Dariusz",
    "Nguyễn",
    "Aaliyah",
    "Jean-Luc",
    "Grace",
    "Mohammed",
    "Søren",
    "Zeynep",
    "Wei",
]
LAST_NAMES = [
    "O'Brien-Núñez",
    "García Márquez",
    "Ølstad",
    "Dubois",
    "Wróbel",
    "Kovács",
    "Müller",
    "D'Angelo",
    "Smith",
    "Thị Ánh",
    "Yılmaz",
    "Nakamura",
    "Van der Berg",
    "Ó Súilleabháin",
]
COURSES = [
    "Cybersecurity Awareness for Municipal Employees",
    "Public Records and Open Meetings Law",
    "Safe Lifting and Manual Handling",
    "Plain Language for Resident Letters",
    "Procurement Rules, Contract Management and Conflict-of-Interest Disclosure "
    "for Newly Appointed Department Heads",
]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def make_items(count: int, seed: int = 2026) -> list[CertificateData]:
    """Build ``count`` varied certificates, the same ones for the same seed."""
    rng = random.Random(seed)
    items = []
    for _ in range(count):
        code = "-".join("".join(rng.choices(CODE_ALPHABET, k=4)) for _ in range(4))
        completed = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        items.append(
            CertificateData(
                recipient_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                course_title=rng.choice(COURSES),
                municipality_name="City of Springfield",
                completed_on=completed,
                expires_on=completed + datetime.timedelta(days=730) if rng.random() < 0.5 else None,
                verification_code=code,
                verify_url=f"https://learn.example.gov/certificates/verify/{code}/",
                signatory="Dana Whitfield, City Manager",
            )
        )
    return items


def run(count: int = 1000) -> dict:
    """Render ``count`` certificates in this process; return the throughput.

    Inputs are built and one certificate is rendered before the clock starts,
    so the figure is the steady state (fonts registered, caches warm).
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    items = make_items(count)
    for _ in render_certificates(items[:1]):
        pass

    start = time.perf_counter()
    for _ in render_certificates(items):
        pass
    seconds = time.perf_counter() - start
    return {
        "certificates_per_second": round(count / seconds, 1),
        "count": count,
        "seconds": round(seconds, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates to render")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    result = run(args.count)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['count']} certificates in {result['seconds']:.2f} s: "
            f"{result['certificates_per_second']:.0f} PDFs/second (one core)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
