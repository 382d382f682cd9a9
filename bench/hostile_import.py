"""`make bench`, part 3: `edition import-annotations --dry-run` on hostile rows.

600 rows of the Hypothesis search API on the edition's own texts, each anchored to
a real passage and each refused: a bidi override in the display name (refused by
the note's own check), a marker double-click, a prefix that contradicts, a
heading, a private annotation, a body with raw HTML. Each annotation is checked
on its own, so the cost grows with the rows, not with the rows times the
project. The time goes to bench/out/hostile_import.json. A benchmark, not a
test: it fails only if it cannot run (or if any row is taken).

    python bench/hostile_import.py [--rows 600]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BASE = "https://bench.invalid/edition/"


def rows(count: int) -> list[dict]:
    sys.path.insert(0, str(ROOT / "ext"))
    from edition.reading.texts import load_texts

    texts = load_texts(ROOT / "docs")
    passages = [(t, b.text) for t in texts for b in t.blocks if b.kind == "paragraph" and len(b.text) > 40]
    found = []
    for n in range(count):
        text, paragraph = passages[n % len(passages)]
        exact, rest = paragraph[10:30], paragraph[30:60]
        kind = n % 6
        selector = {"type": "TextQuoteSelector", "exact": exact, "suffix": rest}
        row = {
            "id": f"bench{n}", "uri": f"{BASE}{text.docname}.html", "text": "A note.",
            "user": "acct:someone@hypothes.is", "permissions": {"read": ["group:__world__"]},
            "user_info": {"display_name": "Mallory"},
            "target": [{"source": f"{BASE}{text.docname}.html", "selector": [selector]}],
        }
        if kind == 0:
            row["user_info"]["display_name"] = "Mal\u202elory"
        elif kind == 1:
            selector.update(exact="32", prefix=exact + "[", suffix="] " + rest)
        elif kind == 2:
            selector["suffix"] = "not what follows " + rest
        elif kind == 3:
            row["text"] = "<script>alert(1)</script>"
        elif kind == 4:
            row["permissions"] = {"read": ["acct:someone@hypothes.is"]}
        else:
            row["text"] = "[x](javascript:alert(1))"
        found.append(row)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "annotations"
        shutil.copytree(ROOT / "annotations", copy)
        data = Path(scratch) / "rows.json"
        data.write_text(json.dumps({"total": args.rows, "rows": rows(args.rows)}), encoding="utf-8")
        command = [str(Path(sys.executable).parent / "edition"), "import-annotations", str(data), "--dry-run",
                   "--docs", str(ROOT / "docs"), "--annotations", str(copy), "--base-url", BASE]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    refused = sum(1 for line in result.stderr.splitlines() if line.startswith("refused: "))
    OUT.mkdir(parents=True, exist_ok=True)
    record = {"rows": args.rows, "refused": refused, "seconds": round(seconds, 2), "summary": summary}
    (OUT / "hostile_import.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"import-annotations --dry-run, {args.rows} hostile rows: {refused} refused in {seconds:.1f} s")
    if "Traceback" in result.stderr or refused != args.rows:
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
