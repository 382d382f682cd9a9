"""`make bench`, part 2: `edition check` on the edition plus 100 orphan anchors.

An orphan anchor (one that matches nowhere) makes the check look for the
closest passage to suggest. This measures that cost at its worst: 100
anchors of 500 characters each, added to a copy of the edition's notes,
built from the texts themselves so that they look like the text and never
match it: long passages with one character changed, passages reversed,
repetitive runs and shuffles. The time of the whole `edition check` goes to
bench/out/orphans.json. A benchmark, not a test: it fails only if it cannot run.

    python bench/orphans.py [--anchors 100] [--length 500]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def hostile_anchors(text: str, count: int, length: int, rng: random.Random) -> list[str]:
    """*count* strings of *length* characters drawn from *text*, none of them in it."""
    anchors = []
    while len(anchors) < count:
        start = rng.randrange(max(1, len(text) - length))
        passage = text[start : start + length].ljust(length, text[0])
        kind = len(anchors) % 4
        if kind == 0:  # a long copy with one slip in the middle
            middle = length // 2
            candidate = passage[:middle] + ("x" if passage[middle] != "x" else "y") + passage[middle + 1 :]
        elif kind == 1:  # the passage backwards: the same letters, the same frequencies
            candidate = passage[::-1]
        elif kind == 2:  # a short stretch of the text, repeated
            candidate = (passage[:7] * length)[:length]
        else:  # the passage's letters shuffled
            letters = list(passage)
            rng.shuffle(letters)
            candidate = "".join(letters)
        candidate = re.sub(r"\s+", " ", candidate).strip() or "x"
        if candidate not in text:
            anchors.append(candidate)
    return anchors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchors", type=int, default=100)
    parser.add_argument("--length", type=int, default=500)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "ext"))
    from edition.checking.check import anchor_blocks
    from edition.reading.texts import load_texts

    texts = [t for t in load_texts(ROOT / "docs") if t.blocks]
    rng = random.Random(20260101)
    with tempfile.TemporaryDirectory(prefix="edition-orphans-") as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "docs", project / "docs")
        shutil.copytree(ROOT / "annotations", project / "annotations")
        per_text = -(-args.anchors // len(texts))
        added = 0
        for text in texts:
            path = project / "annotations" / "notes" / f"{text.text_id}.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
            data = data or {"text": text.text_id, "notes": []}
            whole = " ".join(b.text for b in anchor_blocks(text))
            for n, exact in enumerate(hostile_anchors(whole, min(per_text, args.anchors - added), args.length, rng)):
                data["notes"].append({"id": f"bench-orphan-{text.text_id}-{n}", "kind": "editorial",
                                      "anchor": {"exact": exact}, "body": "An orphan."})
                added += 1
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "edition.cli.commands", "check", "--docs", "docs", "--annotations", "annotations"],
            capture_output=True, text=True, cwd=project,
        )
        elapsed = time.perf_counter() - started
    orphans = result.stderr.count("anchor not found")
    if result.returncode != 1 or orphans != added:
        print(result.stderr[-3000:], file=sys.stderr)
        print(f"expected {added} orphan errors, got {orphans} (exit {result.returncode})", file=sys.stderr)
        return 1
    figures = {"orphan_anchors": added, "anchor_length": args.length, "check_seconds": round(elapsed, 2)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "orphans.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"edition check with {added} orphan anchors of {args.length} characters: {elapsed:.1f} s "
          f"(bench/out/orphans.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
