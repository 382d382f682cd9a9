"""Profile the edition's HTML build on a scaled corpus (cProfile).

    python bench/profile_build.py [N] [--corpus generated|real] [--stats FILE]

Generates an N-text corpus (default 200 generated texts, see bench/corpus.py), runs
``python -m cProfile -m sphinx`` on it, keeps the statistics in
bench/out/profile-KIND-N.pstats and prints where the time goes: self time by
package, the edition's functions by inclusive time, and the hottest
functions overall. With ``--stats FILE`` it only prints the summary of an
existing statistics file. cProfile slows pure-Python code more than C code,
so shares are indicative; the ranking is what matters.
"""

from __future__ import annotations

import argparse
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, make_corpus  # noqa: E402

OUT = ROOT / "bench" / "out"

PACKAGES = (
    ("edition", "/ext/edition/"),
    ("yaml", "/yaml/"),
    ("jsonschema", "/jsonschema/"),
    ("docutils", "/docutils/"),
    ("myst_parser", "/myst_parser/"),
    ("markdown_it", "/markdown_it/"),
    ("sphinx", "/sphinx/"),
    ("jinja2", "/jinja2/"),
    ("pydata/book theme", "_theme/"),
)


def package(filename: str) -> str:
    for name, marker in PACKAGES:
        if marker in filename:
            return name
    if filename == "~":
        return "builtins (C)"
    return "other (stdlib, ...)"


def summarize(stats_file: Path, top: int = 25) -> str:
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt
    lines = [f"total (under cProfile): {total:.1f} s", "", "self time by package:"]
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        by_package[package(filename)] += tottime
    for name, seconds in sorted(by_package.items(), key=lambda item: -item[1]):
        lines.append(f"  {seconds:8.1f} s  {seconds / total:6.1%}  {name}")

    def label(key) -> str:
        filename, line, function = key
        short = filename.split("/ext/")[-1] if "/ext/" in filename else filename.split("site-packages/")[-1]
        return f"{short}:{line}({function})"

    lines += ["", "the edition's functions, by inclusive time (share of the whole build):"]
    ours = [(key, value) for key, value in stats.stats.items() if "/ext/edition/" in key[0]]
    for key, (_, calls, tottime, cumtime, _) in sorted(ours, key=lambda item: -item[1][3])[:top]:
        lines.append(f"  {cumtime:8.1f} s  {cumtime / total:6.1%}  self {tottime:6.1f} s  {calls:>8}x  {label(key)}")

    lines += ["", "hottest functions overall, by self time:"]
    for key, (_, calls, tottime, cumtime, _) in sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]:
        lines.append(f"  {tottime:8.1f} s  {tottime / total:6.1%}  cum {cumtime:7.1f} s  {calls:>9}x  {label(key)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("texts", type=int, nargs="?", default=200)
    parser.add_argument("--corpus", choices=("generated", "real"), default="generated")
    parser.add_argument("--stats", type=Path, help="summarise this statistics file instead of profiling")
    args = parser.parse_args(argv)
    if args.stats:
        print(summarize(args.stats))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    stats_file = OUT / f"profile-{args.corpus}-{args.texts}.pstats"
    with tempfile.TemporaryDirectory(prefix="edition-profile-") as work:
        root = Path(work) / "corpus"
        make_corpus(root, args.texts, args.corpus)
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "sphinx", "-q", "-W", "--keep-going",
             "-b", "html", "-c", str(root / "conf"), str(root / "docs"), str(root / "out")],
            capture_output=True, text=True, env=env, cwd=root,
        )
        print(f"profiled build of {args.texts} {args.corpus} texts: {time.perf_counter() - started:.0f} s, exit {result.returncode}")
        if result.returncode:
            print(result.stderr[-3000:])
            return 1
    summary = summarize(stats_file)
    (OUT / f"profile-{args.corpus}-{args.texts}.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
