"""`make bench` at scale (issue 25): its options and what it reports.

The benchmark itself is not run by the suite (it takes tens of minutes at
2,000 texts); here it runs on a 2-text corpus with 1,000 and 2,000 texts
asked for within a budget they cannot fit, so that they are skipped and say
so, and every figure the issue asks for is reported for what did run.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_sizes_are_parsed_and_bad_ones_refused(bench, capsys):
    assert bench._sizes("1000,2000") == [1000, 2000]
    assert bench._sizes(" 100, 200 ,") == [100, 200]
    assert bench._sizes("") == []
    for bad in ("1000;2000", "0", "-5", "two"):
        with pytest.raises(SystemExit):
            bench.main(["--sizes", bad])
        assert "--sizes" in capsys.readouterr().err


@pytest.fixture(scope="module")
def tiny_run(bench, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    from contextlib import redirect_stdout
    from io import StringIO

    printed = StringIO()
    with redirect_stdout(printed):
        code = bench.main(["--headline", "2", "--sizes", "2,1000,2000", "--plain-sizes", "", "--real-sizes", "",
                           "--no-parallel", "--budget", "600", "--out", str(out)])
    assert code == 0
    return json.loads((out / "results.json").read_text(encoding="utf-8")), printed.getvalue()


def test_large_sizes_are_skipped_and_say_so(tiny_run):
    results, printed = tiny_run
    builds = {b["label"]: b for b in results["builds"]}
    for n in (1000, 2000):
        skipped = builds[f"edition {n} texts"]
        assert skipped["skipped"] == "over the time budget" and skipped["predicted_s"] > 600
        assert skipped["wall_s"] is None
        line = next(line for line in printed.splitlines() if line.startswith(f"edition {n} texts "))
        assert "skipped" in line and "--budget 0" in line


def test_each_build_reports_time_memory_and_sizes(tiny_run):
    results, printed = tiny_run
    ours = next(b for b in results["builds"] if b["label"] == "edition 2 texts")
    assert ours["returncode"] == 0 and not ours["warnings"]
    assert ours["wall_s"] > 0 and ours["cpu_s"] > 0 and ours["maxrss_mb"] > 0
    assert ours["largest_page"].endswith(".html") and ours["largest_page_bytes"] > 0
    assert not ours["largest_apparatus_page"].startswith("texts/") and ours["largest_apparatus_page_bytes"] > 0
    assert ours["text_page"].startswith("texts/") and ours["text_page_bytes"] > 0
    assert ours["output_bytes"] > ours["largest_page_bytes"] + ours["text_page_bytes"]
    row = next(r for r in results["figures"]["page_sizes"] if r["texts"] == 2)
    assert row["text_page_vs_reference"] == 1.0  # the 2-text build is the reference itself
    scale = results["figures"]["at_scale"]
    assert scale["texts"] == 2 and scale["peak_memory_mb"] == ours["maxrss_mb"]
    assert scale["largest_apparatus_page_bytes"] == ours["largest_apparatus_page_bytes"]
    assert results["figures"]["cpu_seconds_per_text"]["2"] == round(ours["cpu_s"] / 2, 3)
    for words in ("largest page not a text's", "peak memory at 2 texts", "text page against a 2-text"):
        assert words in printed


def test_the_incremental_build_is_at_the_largest_size_built(tiny_run):
    results, printed = tiny_run
    incremental = results["figures"]["incremental"]
    assert incremental["texts"] == 2 and incremental["count"] == 1 and incremental["ok"]
    assert incremental["seconds"] > 0 and incremental["cpu_seconds"] > 0
    assert "incremental at 2 texts: documents re-read" in printed
