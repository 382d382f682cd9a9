"""`make bench`: the edition's build against plain Sphinx, at scale.

Generates scaled corpora (bench/corpus.py) in a temporary directory, of two
kinds: "generated" (25 notes per text, 1,000 glossary entries, 1,000 persons,
500 works: the scale test) and "real" (copies of the real texts with their
real notes and the real registers: the density editors have). It measures,
in one run and with one SOURCE_DATE_EPOCH:

* the full HTML build with the edition's extension against the same build
  with only the third-party extensions (myst_parser and the theme), on both
  corpora, side by side: 200 generated texts and 100 real-density texts
  (target: ratio <= 1.5, the moonshot 1.1);
* at every size built, the largest HTML page (target: none over 1 MB at 400
  texts) and the size of the search index (``searchindex.js`` and any
  shards; over 5 MB it must be sharded);
* the time per text at 100, 200 and 400 texts (target: 400 within 1.15x of 100);
* the peak memory of each build (ru_maxrss of the sphinx-build process and
  its workers);
* an incremental rebuild after editing one note file: the documents re-read
  (target: exactly 1) and its time;
* ``-j 2`` against ``-j 1`` on the real-density corpus (target: no warnings, same
  HTML, never slower).

Results go to bench/out/results.json; a table is printed at the end. This is
a benchmark, not a test: it fails only if it cannot run.

The whole run keeps to a time budget (default 540 s, so `make bench` ends
within 10 minutes on the project's 2-core machines). Measurements run most
important first; one whose predicted time (from the builds measured so far)
does not fit in what is left is skipped and reported with its prediction.
``--budget 0`` measures everything, however long it takes.

    python bench/run.py [--budget SECONDS] [--repeat N] [--keep] [--sizes 100,200,400] [--real-sizes 100]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, make_corpus  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGETS = {"ratio": 1.5, "moonshot_ratio": 1.1, "growth": 1.15, "reread": 1, "parallel_speedup": 1.0,
           "largest_page_bytes": 1_000_000, "search_index_bytes": 5_000_000}


@dataclass
class Build:
    label: str
    texts: int
    conf: str  # "edition" or "plain"
    corpus: str = "generated"  # or "real" (bench/corpus.py)
    jobs: int = 1
    kind: str = "full"  # "full" or "incremental"
    wall_s: float | None = None
    cpu_s: float | None = None
    maxrss_mb: float | None = None
    returncode: int | None = None
    warnings: list[str] = field(default_factory=list)
    reread: list[str] | None = None
    written: list[str] | None = None
    skipped: str | None = None
    predicted_s: float | None = None
    largest_page: str | None = None
    largest_page_bytes: int | None = None
    search_index_bytes: int | None = None  # searchindex.js plus any shards
    search_index_files: dict | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.warnings


class Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.start = time.monotonic()

    def left(self) -> float:
        if not self.seconds:
            return float("inf")
        return self.seconds - (time.monotonic() - self.start)

    def allows(self, predicted: float | None) -> bool:
        return predicted is None or predicted * 1.1 < self.left()


def source_date_epoch() -> str:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    found = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, cwd=ROOT)
    return found.stdout.strip() or "0"


def run_sphinx(root: Path, conf: str, outdir: Path, *extra: str, quiet: bool = True, env: dict) -> tuple:
    """Run one sphinx-build; return (wall, cpu, maxrss MB, returncode, stdout, stderr)."""
    confdir = root / ("conf" if conf == "edition" else "conf-plain")
    cmd = [sys.executable, "-m", "sphinx", "-N", "-W", "--keep-going", "-b", "html", "-c", str(confdir),
           "-d", str(outdir / ".doctrees"), *extra, *(["-q"] if quiet else []), str(root / "docs"), str(outdir)]
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    stem = f"{outdir.name}-{len(list(logs.iterdir()))}"
    with open(logs / f"{stem}.out", "w+") as out, open(logs / f"{stem}.err", "w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=root)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    # ru_maxrss: the largest of the process and its (waited-for) workers, in KiB on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, stdout, stderr


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line or "Error" in line][:20]


def measure(build: Build, root: Path, outdir: Path, *extra: str, repeat: int, env: dict, quiet=True) -> Build:
    """Full build(s) from scratch; the best of *repeat* runs (memory: the largest)."""
    for _ in range(repeat):
        shutil.rmtree(outdir, ignore_errors=True)
        wall, cpu, rss, rc, stdout, stderr = run_sphinx(root, build.conf, outdir, *extra, quiet=quiet, env=env)
        build.returncode = rc if build.returncode in (None, 0) else build.returncode
        build.warnings += warnings_in(stderr) or ([f"exit status {rc}: {stderr[-500:]}"] if rc else [])
        build.wall_s = wall if build.wall_s is None else min(build.wall_s, wall)
        build.cpu_s = cpu if build.cpu_s is None else min(build.cpu_s, cpu)
        build.maxrss_mb = max(build.maxrss_mb or 0, rss)
    if build.returncode == 0:
        record_sizes(build, outdir)
    return build


def record_sizes(build: Build, outdir: Path) -> None:
    """The largest HTML page and the search index (with its shards, if any)."""
    pages = [(p.stat().st_size, str(p.relative_to(outdir))) for p in outdir.rglob("*.html")]
    if pages:
        build.largest_page_bytes, build.largest_page = max(pages)
    index = {str(p.relative_to(outdir)): p.stat().st_size for p in sorted(outdir.rglob("searchindex*.js"))}
    if index:
        build.search_index_files = index
        build.search_index_bytes = sum(index.values())


READ = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")
WRITTEN = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")


def edit_one_note(root: Path) -> Path:
    """Change the body of the first note of one text, and move its mtime on."""
    files = sorted((root / "annotations" / "notes").glob("*.yaml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"(\n  body: \|\n    )", r"\1(Edited for the benchmark.) ", text, count=1)
    assert edited != text, path
    path.write_text(edited, encoding="utf-8")
    later = path.stat().st_mtime + 5
    os.utime(path, (later, later))
    return path


def html_digest(outdir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(outdir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(outdir.rglob("*.html"))
    }


def rate(builds: list[Build], conf: str, corpus: str) -> float | None:
    """Seconds per text of the largest completed full build of this kind (for predictions)."""
    done = [b for b in builds if b.conf == conf and b.kind == "full" and b.wall_s and b.jobs == 1]
    done = [b for b in done if b.corpus == corpus] or done
    if not done:
        return None
    best = max(done, key=lambda b: b.texts)
    return best.wall_s / best.texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=float(os.environ.get("BENCH_BUDGET", 540)),
                        help="seconds for the whole run (0: no limit); default 540")
    parser.add_argument("--repeat", type=int, default=1, help="builds per figure at 100 and 200 texts (best of)")
    parser.add_argument("--sizes", default="100,200,400")
    parser.add_argument("--headline", type=int, default=200,
                        help="generated texts for the ratio, incremental and parallel figures; default 200")
    parser.add_argument("--real-sizes", default="100",
                        help="sizes of the real-density corpus (its ratio: at the first); default 100")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and builds")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    real_sizes = [int(s) for s in args.real_sizes.split(",") if s.strip()]
    HEADLINE = args.headline  # noqa: N806
    budget = Budget(args.budget)
    epoch = source_date_epoch()
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "0"}
    work = Path(tempfile.mkdtemp(prefix="edition-bench-"))
    builds: list[Build] = []
    corpora: dict[tuple[str, int], dict] = {}
    print(f"bench: corpora and builds in {work}; budget {args.budget:.0f} s" if args.budget else
          f"bench: corpora and builds in {work}; no time budget", flush=True)

    def corpus(n: int, kind: str = "generated") -> Path:
        root = work / f"{kind}-{n}"
        if (kind, n) not in corpora:
            started = time.perf_counter()
            corpora[kind, n] = make_corpus(root, n, kind)
            corpora[kind, n]["generated_s"] = round(time.perf_counter() - started, 1)
        return root

    def full(n: int, conf: str, jobs: int = 1, repeat: int = 1, kind: str = "generated") -> Build:
        label = f"{conf} {n} {'real-density ' if kind == 'real' else ''}texts" + (f" -j {jobs}" if jobs > 1 else "")
        build = Build(label, n, conf, kind, jobs)
        per_text = rate(builds, conf, kind)
        predicted = per_text * n * repeat if per_text else None
        if predicted is not None and (kind, n) not in corpora:
            predicted += 0.1 * n  # generating the corpus
        builds.append(build)
        if not budget.allows(predicted):
            build.skipped, build.predicted_s = "over the time budget", round(predicted, 1)
            print(f"  {build.label}: skipped, predicted {predicted:.0f} s, {budget.left():.0f} s left", flush=True)
            return build
        root = corpus(n, kind)
        outdir = root / f"out-{conf}-j{jobs}"
        measure(build, root, outdir, *(["-j", str(jobs)] if jobs > 1 else []), repeat=repeat, env=env)
        print(f"  {build.label}: {build.wall_s:.1f} s wall, {build.cpu_s:.1f} s cpu, {build.maxrss_mb:.0f} MB"
              + ("" if build.ok else f", FAILED: {build.warnings[:2]}"), flush=True)
        return build

    figures: dict = {}
    plain = ours = parallel = real_plain = real_ours = None
    real_at: dict[int, tuple[Build, Build]] = {}
    incremental = Build(f"edition {args.headline} texts, one note edited", args.headline, "edition",
                        kind="incremental", skipped="not reached")
    growth: dict[int, Build] = {}
    plain_at: dict[int, Build] = {}
    try:
        # 1. The headline: ours against plain Sphinx at 200 texts.
        plain = full(HEADLINE, "plain", repeat=args.repeat)
        ours = full(HEADLINE, "edition", repeat=args.repeat)
        # ... and on the real-density corpus, side by side.
        for n in real_sizes:
            real_at[n] = (full(n, "plain", repeat=args.repeat, kind="real"),
                          full(n, "edition", repeat=args.repeat, kind="real"))
            if real_plain is None:
                real_plain, real_ours = real_at[n]

        # 2. Incremental: edit one note file, rebuild the -j 1 output (same doctrees).
        incremental.skipped = None
        builds.append(incremental)
        predicted = ours.wall_s * 0.6 if ours.wall_s else None  # it re-reads 1 text, re-checks all
        if not ours.ok:
            incremental.skipped = "the full build did not run or failed"
        elif not budget.allows(predicted):
            incremental.skipped, incremental.predicted_s = "over the time budget", round(predicted, 1)
        else:
            root = corpus(HEADLINE)
            edited = edit_one_note(root)
            wall, cpu, rss, rc, stdout, stderr = run_sphinx(root, "edition", root / "out-edition-j1", quiet=False, env=env)
            incremental.wall_s, incremental.cpu_s, incremental.maxrss_mb, incremental.returncode = wall, cpu, rss, rc
            incremental.warnings = warnings_in(stderr)
            incremental.reread, incremental.written = READ.findall(stdout), WRITTEN.findall(stdout)
            figures["incremental_edited_file"] = str(edited.relative_to(root))
        print(f"  {incremental.label}: " + (f"{incremental.wall_s:.1f} s, re-read {incremental.reread}, "
              f"wrote {len(incremental.written)} pages" if incremental.wall_s else f"skipped ({incremental.skipped})"),
              flush=True)

        # 3. Parallel: -j 2 from scratch against -j 1, on the real-density corpus (the
        #    density editors have; the generated corpus at 200 texts does not fit the budget
        #    twice). Its -j 1 output is a full build, so the HTML must be the same.
        parallel_base = real_ours if real_ours is not None and real_ours.ok else ours
        parallel = (full(parallel_base.texts, "edition", jobs=2, kind=parallel_base.corpus)
                    if parallel_base.ok else None)
        if parallel is not None and parallel.ok:
            root = corpus(parallel_base.texts, parallel_base.corpus)
            j1, j2 = html_digest(root / "out-edition-j1"), html_digest(root / "out-edition-j2")
            differing = sorted(k for k in j1.keys() | j2.keys() if j1.get(k) != j2.get(k))
            figures["parallel_identical_html"] = not differing
            figures["parallel_differing_files"] = differing[:20]
            if differing:
                print(f"  -j 2 and -j 1 differ in {len(differing)} HTML files: {differing[:5]}", flush=True)

        # 4. Linear growth: 100 and 400 texts (200 is above), then plain at the same sizes.
        growth[HEADLINE] = ours
        for n in sizes:
            if n != HEADLINE:
                growth[n] = full(n, "edition", repeat=args.repeat if n < 400 else 1)
        plain_at[HEADLINE] = plain
        for n in sizes:
            if n != HEADLINE:
                plain_at[n] = full(n, "plain", repeat=args.repeat if n < 400 else 1)
    finally:
        OUT.mkdir(parents=True, exist_ok=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    # --- figures ---------------------------------------------------------------------
    def value(b: Build | None, attr: str = "wall_s"):
        return getattr(b, attr) if b is not None and b.wall_s is not None else None

    def ratio(a, b):
        return round(a / b, 3) if a is not None and b else None

    figures["ratio_vs_plain"] = {
        str(n): {"wall": ratio(value(growth.get(n)), value(plain_at.get(n))),
                 "cpu": ratio(value(growth.get(n), "cpu_s"), value(plain_at.get(n), "cpu_s"))}
        for n in sorted(set(sizes) | {HEADLINE})
    }
    headline_ratio = ratio(value(ours), value(plain))
    per_text = {str(n): (round(value(b) / n, 3) if value(b) else None) for n, b in sorted(growth.items())}
    per_text_plain = {str(n): (round(value(b) / n, 3) if value(b) else None) for n, b in sorted(plain_at.items())}
    growth_ratio = ratio(value(growth.get(max(sizes))), value(growth.get(min(sizes))))
    growth_ratio = round(growth_ratio * min(sizes) / max(sizes), 3) if growth_ratio else None
    parallel_base = real_ours if real_ours is not None and real_ours.ok else ours
    speedup = ratio(value(parallel_base), value(parallel)) if parallel else None
    figures.update({
        "ratio_at_headline": {"texts": HEADLINE, "value": headline_ratio, "target": f"<= {TARGETS['ratio']}",
                         "ok": headline_ratio is not None and headline_ratio <= TARGETS["ratio"]},
        "seconds_per_text": per_text,
        "seconds_per_text_plain": per_text_plain,
        "growth_per_text_400_vs_100": {"sizes": [max(sizes), min(sizes)], "value": growth_ratio, "target": f"<= {TARGETS['growth']}",
                                       "ok": growth_ratio is not None and growth_ratio <= TARGETS["growth"]},
        "peak_memory_mb": {b.label: round(b.maxrss_mb) for b in builds if b.maxrss_mb},
        "peak_memory_headline_mb": {"edition": value(ours, "maxrss_mb"), "plain": value(plain, "maxrss_mb")},
        "incremental": {"reread": incremental.reread, "count": len(incremental.reread or []) if incremental.reread
                        is not None else None, "target": TARGETS["reread"], "seconds": value(incremental),
                        "pages_written": len(incremental.written or []) if incremental.written is not None else None,
                        "ok": incremental.reread is not None and len(incremental.reread) == 1 and incremental.ok},
        "parallel": {"corpus": parallel_base.corpus if parallel_base else None,
                     "texts": parallel_base.texts if parallel_base else None,
                     "j1_s": value(parallel_base), "j2_s": value(parallel), "speedup": speedup,
                     "warnings": parallel.warnings if parallel else None,
                     "identical_html": figures.pop("parallel_identical_html", None),
                     "differing_files": figures.pop("parallel_differing_files", None),
                     "ok": bool(parallel and parallel.ok and speedup and speedup > TARGETS["parallel_speedup"])},
    })
    real_ratio = ratio(value(real_ours), value(real_plain))
    figures["real_density"] = {
        str(n): {"wall": ratio(value(o), value(p)), "cpu": ratio(value(o, "cpu_s"), value(p, "cpu_s")),
                 "edition_s": value(o), "plain_s": value(p)}
        for n, (p, o) in sorted(real_at.items())
    }
    figures["ratio_real_density"] = {"texts": real_sizes[0] if real_sizes else None, "value": real_ratio,
                                     "target": f"<= {TARGETS['ratio']}",
                                     "ok": real_ratio is not None and real_ratio <= TARGETS["ratio"]}
    sized = [b for b in builds if b.conf == "edition" and b.kind == "full" and b.largest_page_bytes]
    figures["page_sizes"] = [
        {"corpus": b.corpus, "texts": b.texts, "jobs": b.jobs, "largest_page": b.largest_page,
         "largest_page_bytes": b.largest_page_bytes, "search_index_bytes": b.search_index_bytes,
         "search_index_files": len(b.search_index_files or {})}
        for b in sized if b.jobs == 1
    ]
    largest = max((b for b in sized if b.corpus == "generated"), key=lambda b: b.texts, default=None)
    figures["largest_page_at_most_texts"] = {
        "texts": largest.texts if largest else None,
        "bytes": largest.largest_page_bytes if largest else None,
        "page": largest.largest_page if largest else None,
        "target": f"<= {TARGETS['largest_page_bytes']} bytes at 400 texts",
        "ok": bool(largest and largest.texts >= 400 and largest.largest_page_bytes <= TARGETS["largest_page_bytes"]),
    }
    results = {
        "meta": {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "source_date_epoch": epoch,
            "python": platform.python_version(),
            "sphinx": _version("sphinx"),
            "myst_parser": _version("myst_parser"),
            "cpus": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
            "budget_s": args.budget,
            "elapsed_s": round(time.monotonic() - budget.start, 1),
            "commit": _git("rev-parse", "HEAD"),
            "uncommitted_changes": bool(_git("status", "--porcelain", "--", "ext", "conf")),
        },
        "corpora": {f"{kind}-{n}": c for (kind, n), c in sorted(corpora.items())},
        "figures": figures,
        "builds": [asdict(b) for b in builds],
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"bench: wrote {OUT.relative_to(ROOT) / 'results.json'} in {results['meta']['elapsed_s']:.0f} s")
    return 0


def _version(module: str) -> str:
    try:
        return __import__(module).__version__
    except Exception:  # pragma: no cover
        return "?"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def _fmt(value, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def print_table(results: dict) -> None:
    f = results["figures"]
    builds = {b["label"]: b for b in results["builds"]}
    rows = []
    for b in results["builds"]:
        if b["kind"] == "full":
            status = "ok" if b["returncode"] == 0 and not b["warnings"] else (
                f"skipped (predicted {b['predicted_s']:.0f} s)" if b["skipped"] else "FAILED")
            rows.append((b["label"], _fmt(b["wall_s"], " s", 1), _fmt(b["cpu_s"], " s", 1),
                         _fmt(b["maxrss_mb"], " MB", 0), status))
    width = max(len(r[0]) for r in rows) if rows else 10
    print()
    print(f"{'build':<{width}}  {'wall':>9}  {'cpu':>9}  {'peak mem':>9}  status")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:>9}  {r[2]:>9}  {r[3]:>9}  {r[4]}")
    print()

    def verdict(ok, measured=True):
        return "not measured" if not measured else ("ok" if ok else "MISSED")

    inc = f["incremental"]
    par = f["parallel"]
    real = f["ratio_real_density"]
    lines = [
        (f"ours / plain, {f['ratio_at_headline']['texts']} generated texts (wall)", _fmt(f["ratio_at_headline"]["value"], "x"),
         f"<= {TARGETS['ratio']}x", verdict(f["ratio_at_headline"]["ok"], f["ratio_at_headline"]["value"] is not None)),
        (f"ours / plain, {f['ratio_at_headline']['texts']} generated texts (cpu)",
         _fmt(f["ratio_vs_plain"][str(f["ratio_at_headline"]["texts"])]["cpu"], "x"), "", ""),
        (f"ours / plain, {real['texts']} real-density texts (wall)", _fmt(real["value"], "x"),
         f"<= {TARGETS['ratio']}x", verdict(real["ok"], real["value"] is not None)),
        (f"ours / plain, {real['texts']} real-density texts (cpu)",
         _fmt((f["real_density"].get(str(real["texts"])) or {}).get("cpu"), "x"), "", ""),
        ("s per text at " + ", ".join(f["seconds_per_text"]),
         " / ".join(_fmt(v, "", 3) for v in f["seconds_per_text"].values()), "", ""),
        ("plain: s per text at " + ", ".join(f["seconds_per_text_plain"]),
         " / ".join(_fmt(v, "", 3) for v in f["seconds_per_text_plain"].values()), "", ""),
        ("per text, {} vs {} texts".format(*f["growth_per_text_400_vs_100"]["sizes"]),
         _fmt(f["growth_per_text_400_vs_100"]["value"], "x"), f"<= {TARGETS['growth']}x",
         verdict(f["growth_per_text_400_vs_100"]["ok"], f["growth_per_text_400_vs_100"]["value"] is not None)),
        (f"peak memory, ours / plain, {f['ratio_at_headline']['texts']} texts",
         f"{_fmt(f['peak_memory_headline_mb']['edition'], ' MB', 0)} / {_fmt(f['peak_memory_headline_mb']['plain'], ' MB', 0)}",
         "", ""),
        ("incremental: documents re-read", _fmt(inc["count"]), "exactly 1", verdict(inc["ok"], inc["count"] is not None)),
        ("incremental: time", _fmt(inc["seconds"], " s", 1), "", ""),
        (f"-j 2 vs -j 1 (speed-up), {par['texts']} {par['corpus']} texts", _fmt(par["speedup"], "x"), "> 1, no warnings", verdict(par["ok"], par["j2_s"] is not None)),
        ("-j 2 vs -j 1: same HTML", _fmt(par["identical_html"]), "True", verdict(par["identical_html"], par["identical_html"] is not None)),
    ]
    big = f["largest_page_at_most_texts"]
    lines.append((f"largest HTML page at {big['texts']} texts", _fmt(_mb(big["bytes"]), " MB"),
                  "<= 1 MB at 400", verdict(big["ok"], bool(big["texts"] and big["texts"] >= 400))))
    width = max(len(line[0]) for line in lines)
    print(f"{'figure':<{width}}  {'measured':>22}  {'target':>17}")
    for name, measured, target, status in lines:
        print(f"{name:<{width}}  {measured:>22}  {target:>17}  {status}")

    if f["page_sizes"]:
        print()
        print(f"{'corpus':<10} {'texts':>5}  {'largest HTML page':<34} {'size':>9}  {'search index':>12} {'files':>5}")
        for row in f["page_sizes"]:
            print(f"{row['corpus']:<10} {row['texts']:>5}  {row['largest_page'][:34]:<34} "
                  f"{_fmt(_mb(row['largest_page_bytes']), ' MB'):>9}  {_fmt(_mb(row['search_index_bytes']), ' MB'):>12} "
                  f"{row['search_index_files']:>5}")


def _mb(size: int | None) -> float | None:
    return None if size is None else size / 1_000_000


if __name__ == "__main__":
    sys.exit(main())
