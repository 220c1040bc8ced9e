"""Write the benchmark results as tables in docs/benchmarks.md (between markers)."""

from __future__ import annotations

import json
from pathlib import Path

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(results: dict) -> list[str]:
    lines = [
        f"### {results['database']} — {results['started_at']}",
        "",
        f"Scale: {results['scale']['staff']:,} staff, {results['scale']['departments']} departments, "
        f"{results['scale']['courses']} courses × {results['scale']['lessons_per_course']} lessons, "
        f"{results['scale']['assignments']:,} assignments, "
        f"{results['scale']['lesson_progress']:,} lesson-progress rows. "
        f"Machine: {results['machine']['cpus']} CPUs, {results['machine']['platform']}, "
        f"Python {results['machine']['python']}. Whole run: {results.get('total_seconds')} s.",
        "",
        "Data generation (bulk inserts), seconds: "
        + ", ".join(f"{k} {v}" for k, v in results.get("generation_seconds", {}).items()),
        "",
        "| measurement | median ms | p95 ms | queries | other | target | met |",
        "| --- | ---: | ---: | ---: | --- | --- | :---: |",
    ]
    for name, m in results["measurements"].items():
        extra = ", ".join(f"{k} {_fmt(v)}" for k, v in m.get("extra", {}).items() if k != "path")
        met = {True: "yes", False: "**no**"}.get(m.get("met"), "")
        lines.append(
            f"| {name} | {_fmt(m.get('median_ms'))} | {_fmt(m.get('p95_ms'))} | "
            f"{_fmt(m.get('queries'))} | {extra} | {m.get('target', '')} | {met} |"
        )
    lines.append("")
    return lines


def write_markdown(results_dir: Path, doc: Path) -> None:
    sections: list[str] = []
    for vendor in ("postgresql", "sqlite"):
        path = results_dir / f"latest-{vendor}.json"
        if path.exists():
            sections.extend(_table(json.loads(path.read_text())))
    block = "\n".join([START, "", *sections, END])
    text = doc.read_text() if doc.exists() else "# Benchmarks\n\n" + START + "\n" + END + "\n"
    if START in text and END in text:
        head, _sep, rest = text.partition(START)
        _old, _sep, tail = rest.partition(END)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)
