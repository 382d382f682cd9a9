"""The ``edition`` command: ``import`` raw sources into MyST texts, ``check`` the annotations."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import EditionError


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer import check_id_free, import_text, record_digest, start_notes, write_atomically

    status = 0
    for source in args.sources:
        target = None
        try:
            if not source.is_file():
                raise EditionError("no such file", str(source))
            myst, meta = import_text(source)
            target = args.out / f"{meta['id']}.md"
            check_id_free(target, source, source.with_name(source.stem + ".meta.yaml"))
        except EditionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if current != myst:
                print(
                    f"error: {target}: differs from what `edition import {source}` produces; "
                    "run it again and commit the result",
                    file=sys.stderr,
                )
                status = 1
            continue
        write_atomically(target, myst)
        print(f"{source} -> {target}")
        if record_digest(source):
            print(f"{source}: digest recorded in {source.with_name('SHA256SUMS')}")
        notes = start_notes(args.annotations / "notes", meta["id"])
        if notes:
            print(f"{notes}: started; add the text's notes there (CONTRIBUTING.md)")
    return status


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check_project

    result = check_project(args.docs, args.annotations)
    github = bool(os.environ.get("GITHUB_ACTIONS"))
    if args.report:
        from .check import coverage_report

        lines, warnings = coverage_report(result)
        print("Glossary coverage (occurrences of each term's forms in the texts):")
        for line in lines:
            print(f"  {line}")
        result.diagnostics += warnings
    for diagnostic in result.diagnostics:
        print(diagnostic.format(github=github), file=sys.stdout if github else sys.stderr)
    errors, warnings = len(result.errors), len(result.diagnostics) - len(result.errors)
    print(
        f"edition check: {len(result.texts)} texts, {len(result.notes)} notes, "
        f"{len(result.glossary)} glossary entries, {len(result.persons)} persons, {len(result.works)} works; "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
        file=sys.stderr,
    )
    return 1 if errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edition", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    imp = sub.add_parser(
        "import",
        help="turn raw source texts into verbatim MyST documents",
        description="Each SOURCE needs a SOURCE-stem.meta.yaml beside it with at least "
        "'id' and 'lang'. The document is written to OUT/<id>.md only if it "
        "reproduces every line of the source exactly.",
    )
    imp.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    imp.add_argument("--out", type=Path, default=Path("docs/texts"), help="default: docs/texts")
    imp.add_argument(
        "--annotations", type=Path, default=Path("annotations"),
        help="where a new text's notes file is started (default: annotations)",
    )
    imp.add_argument(
        "--check", action="store_true", help="write nothing; fail if the committed output differs"
    )
    imp.set_defaults(func=_cmd_import)

    chk = sub.add_parser(
        "check",
        help="validate every annotation file against the texts (no build)",
        description="Checks schema, ids, references, anchors and markup of all annotation "
        "files and prints file:line: messages (GitHub annotations when GITHUB_ACTIONS is set). "
        "Exits 1 if there is any error.",
    )
    chk.add_argument("--docs", type=Path, default=Path("docs"), help="default: docs")
    chk.add_argument("--annotations", type=Path, default=Path("annotations"), help="default: annotations")
    chk.add_argument(
        "--report", action="store_true",
        help="also list each glossary term's occurrences and warn about unused forms and "
        "words that look like a term but are not listed",
    )
    chk.set_defaults(func=_cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
