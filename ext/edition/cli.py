"""The ``edition`` command: ``import`` raw sources into MyST texts, ``check`` the annotations."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import EditionError, printable


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
    from .intake import MAX_FILE_BYTES_ENV, max_file_bytes

    # The intake gate reads the cap from the environment (so the build sees the same
    # setting); an option given here applies to this run only, not to the process.
    previous = os.environ.get(MAX_FILE_BYTES_ENV)
    if args.max_file_bytes is not None:
        os.environ[MAX_FILE_BYTES_ENV] = str(args.max_file_bytes)
    try:
        max_file_bytes()  # a bad setting is one error here, not one per file
        result = check_project(args.docs, args.annotations)
    finally:
        if previous is None:
            os.environ.pop(MAX_FILE_BYTES_ENV, None)
        else:
            os.environ[MAX_FILE_BYTES_ENV] = previous
    github = bool(os.environ.get("GITHUB_ACTIONS"))
    if args.report:
        from .check import coverage_report

        lines, warnings = coverage_report(result)
        print("Glossary coverage (occurrences of each term's forms in the texts):")
        for line in lines:
            print(f"  {printable(line)}")
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


def _base_url(args: argparse.Namespace) -> str:
    """--base-url, else the edition's url in CITATION.cff: annotations need absolute addresses."""
    from .citation import load_edition
    from .w3c import site_address

    if args.base_url:
        return site_address(args.base_url, "--base-url")
    edition = load_edition(args.citation)
    if not edition.url:
        raise EditionError(
            "no base URL: W3C annotations need the absolute address of each page; pass "
            "--base-url https://… (where the HTML edition is published) or set 'url' in CITATION.cff",
            str(args.citation),
        )
    return site_address(edition.url, f"{args.citation}: url")


def _cmd_export(args: argparse.Namespace) -> int:
    from .annotation_export import export_collections

    site_base = _base_url(args)
    written = export_collections(args.docs, args.annotations, site_base, args.out, html=args.html)
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_import_annotations(args: argparse.Namespace) -> int:
    from .annotation_import import import_annotations

    report = import_annotations(
        args.file, args.docs, args.annotations, _base_url(args), dry_run=args.dry_run, html=args.html,
        groups=frozenset(args.group),
    )
    for refusal in report.refused:
        print(f"refused: {refusal}", file=sys.stderr)
    for path, count in report.written.items():
        print(f"{'would add' if args.dry_run else 'added'} {count} note{'s' * (count != 1)} to {path}")
    print(
        f"edition import-annotations: {report.accepted} imported, {len(report.refused)} refused",
        file=sys.stderr,
    )
    return 1 if report.refused else 0


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="default: docs")
    parser.add_argument("--annotations", type=Path, default=Path("annotations"), help="default: annotations")
    parser.add_argument(
        "--base-url", default="",
        help="where the HTML edition is published (default: 'url' in CITATION.cff)",
    )
    parser.add_argument("--citation", type=Path, default=Path("CITATION.cff"), help="default: CITATION.cff")


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
    chk.add_argument(
        "--max-file-bytes", type=int, metavar="N",
        help="refuse annotation files over N bytes (default: $EDITION_MAX_FILE_BYTES, else 4 MiB; "
        "the build reads the same variable)",
    )
    chk.set_defaults(func=_cmd_check)

    exp = sub.add_parser(
        "export",
        help="write the notes as W3C Web Annotations (one AnnotationCollection per text)",
        description="Writes OUT/<text-id>.jsonld for every text: a W3C AnnotationCollection whose "
        "annotations target the text's page (quote, position and ¶ selectors). Quotes and positions "
        "describe the published page's text, so positions need the built pages (--html); without "
        "them only quote and ¶ selectors are written. Notes keep their notes file's order and carry "
        "their anchor's wording (edition:anchor), so that import-annotations writes them back as they "
        "were. The HTML build publishes the same files, with positions, under annotations/.",
    )
    exp.add_argument(
        "--html", type=Path, default=None,
        help="a built HTML edition (e.g. _build/html): count TextPositionSelectors in its pages",
    )
    exp.add_argument("--format", choices=["w3c"], default="w3c", help="default: w3c (the only one)")
    exp.add_argument("--out", type=Path, default=Path("_build/annotations"), help="default: _build/annotations")
    _add_site_options(exp)
    exp.set_defaults(func=_cmd_export)

    ann = sub.add_parser(
        "import-annotations",
        help="turn W3C Web Annotations (e.g. a Hypothesis export) into notes",
        description="Reads FILE (one annotation, a list, an AnnotationPage or AnnotationCollection, "
        "or a Hypothesis API export) and adds each annotation on one of the edition's pages as a note "
        "in that text's notes file, placed by its quote (prefix and suffix must agree with the text). "
        "Annotations that do not anchor, select a heading, a marker or several paragraphs, target "
        "another site, are hidden, flagged or not public, or carry markup a contribution may not have "
        "are refused one by one, with the reason; a collection whose pages are not all in FILE is an "
        "error. The others "
        "are written together, after the new files have passed the same checks as `edition check` "
        "(no file is ever left half-written). Exits 1 if any was refused.",
    )
    ann.add_argument("file", type=Path, metavar="FILE")
    ann.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    ann.add_argument(
        "--html", type=Path, default=None,
        help="the built HTML edition the annotations were made on (e.g. _build/html): a "
        "TextPositionSelector then helps choose between equal passages, where the page reads the quote there",
    )
    ann.add_argument(
        "--group", action="append", default=[], metavar="ID",
        help="also take annotations readable only by this Hypothesis group (its id); by default only "
        "public ones are taken",
    )
    _add_site_options(ann)
    ann.set_defaults(func=_cmd_import_annotations)
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
