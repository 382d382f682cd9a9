"""The ``edition`` command: ``import`` raw sources into MyST texts, ``check`` the annotations,
``diff`` the apparatus of two revisions."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ..base.errors import EditionError, printable


def _cmd_import(args: argparse.Namespace) -> int:
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..base.files import write_atomically
    from ..importer.text_import import check_id_free, import_text, paragraphs_of, record_digest, start_notes
    from ..reading.paragraph_numbers import compare, moves_message, read_record, record_path

    status = 0
    for source in args.sources:
        target = None
        try:
            if not source.is_file():
                raise EditionError("no such file", str(source))
            myst, meta = import_text(source)
            target = args.out / f"{meta['id']}.md"
            check_id_free(target, source, source.with_name(source.stem + ".meta.yaml"))
            record = record_path(target)
            renumbering = compare(read_record(record), meta["id"], paragraphs_of(myst, str(source)))
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
            if renumbering.moves:
                print(f"error: {EditionError(moves_message(record, renumbering.moves), str(target))}", file=sys.stderr)
                status = 1
            elif not record.exists() or record.read_text(encoding="utf-8") != renumbering.record.dumps():
                print(f"error: {record}: {'differs from' if record.exists() else 'missing; it is'} the record of "
                      f"the text's ¶ numbers `edition import {source}` writes; run it and commit the result",
                      file=sys.stderr)
                status = 1
            continue
        if renumbering.moves and not args.accept_renumbering:
            print(f"error: {EditionError(moves_message(record, renumbering.moves), str(target))}; nothing was "
                  "written", file=sys.stderr)
            status = 1
            continue
        write_atomically(target, myst)
        print(f"{source} -> {target}")
        if not record.exists() or record.read_text(encoding="utf-8") != renumbering.record.dumps():
            write_atomically(record, renumbering.record.dumps())
            print(f"{record}: ¶ numbers recorded")
        for move in renumbering.moves:
            print(f"{target}: {move.accepted} (--accept-renumbering)")
        if record_digest(source):
            print(f"{source}: digest recorded in {source.with_name('SHA256SUMS')}")
        notes = start_notes(args.annotations / "notes", meta["id"])
        if notes:
            print(f"{notes}: started; add the text's notes there (CONTRIBUTING.md)")
    return status


def _cmd_check(args: argparse.Namespace) -> int:
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..checking.check import check_project, coverage_report
    from ..intake.gate import MAX_FILE_BYTES_ENV, max_file_bytes

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
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..formats.citation import load_edition
    from ..formats.w3c import site_address

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
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..formats.annotation_export import export_collections

    site_base = _base_url(args)
    written = export_collections(args.docs, args.annotations, site_base, args.out, html=args.html)
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_import_annotations(args: argparse.Namespace) -> int:
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..formats.annotation_import import import_annotations

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


def _cmd_diff(args: argparse.Namespace) -> int:
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..review.apparatus_diff import diff_apparatus
    from ..review.diff_report import markdown, to_json
    from ..review.revisions import default_base, read_revision, read_work_tree, resolve

    repo = args.repo
    resolve(repo, "HEAD")  # not a repository, or one without commits: one line, before any work
    base_revision, base_label = (args.base, "") if args.base else default_base(repo)
    base = read_revision(repo, base_revision, args.docs, args.annotations, base_label)
    if args.head:
        head = read_revision(repo, args.head, args.docs, args.annotations)
    else:
        head = read_work_tree(repo, args.docs, args.annotations)
    diff = diff_apparatus(base.result, head.result, base.name, head.name)
    report = to_json(diff) if args.format == "json" else markdown(diff)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    return 0


def _cmd_zenodo(args: argparse.Namespace) -> int:
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..formats.release import ZENODO_FILE, zenodo_json

    target = args.citation.parent / ZENODO_FILE
    wanted = zenodo_json(args.citation)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != wanted:
            print(f"error: {target}: does not match {args.citation}; run `edition zenodo`", file=sys.stderr)
            return 1
        return 0
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    # Each command imports its own code when it runs: `edition` starts without all of it.
    from ..checking.check import check_project
    from ..formats.release import ZENODO_FILE, check_version, release_date, version_key, with_release, zenodo_json
    from ..review.revisions import git, release_tags, resolve

    version = check_version(args.version)
    tag = f"v{version}"
    repo = args.citation.parent
    resolve(repo, "HEAD")
    if str(git(repo, "status", "--porcelain", "--untracked-files=no")).strip():
        raise EditionError("the work tree has uncommitted changes; commit or stash them, then release")
    tags = release_tags(repo)
    if tag in tags:
        raise EditionError(f"{tag} is already a release; give a later VERSION")
    if tags and version_key(version) <= version_key(tags[-1][1:].split("-")[0]):
        raise EditionError(f"{tag} is not later than the last release, {tags[-1]}; give a later VERSION")
    date = args.date or release_date(dict(os.environ))
    if args.date:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            raise EditionError(f"--date {args.date!r} is not a date like 2026-03-01") from None
    result = check_project(repo / "docs", repo / "annotations")
    if result.errors:
        raise EditionError(f"`edition check` finds {len(result.errors)} errors; a release must pass it")
    cff = args.citation.read_text(encoding="utf-8")
    args.citation.write_text(with_release(cff, version, date), encoding="utf-8")
    zenodo = repo / ZENODO_FILE
    zenodo.write_text(zenodo_json(args.citation), encoding="utf-8")
    git(repo, "add", "--", args.citation.name, ZENODO_FILE)
    git(repo, "commit", "-q", "-m", f"Release {version} ({date}): version and date in CITATION.cff and .zenodo.json")
    git(repo, "tag", "-a", tag, "-m", f"Release {version}")
    print(f"{args.citation}: version {version}, released {date}; {zenodo} updated; tagged {tag}")
    if not json.loads(zenodo.read_text(encoding="utf-8"))["creators"]:
        print(f"note: {args.citation.name} names no author by name (a placeholder such as 'The editors' is not "
              "one); Zenodo needs at least one creator to mint a DOI: name the editors under `authors`")
    print(f"Publish it: git push origin HEAD {tag}, then make a GitHub release from {tag} "
          "(the publish workflow puts it under v/{version}/; Zenodo, if connected, mints a DOI)".replace("{version}", version))
    return 0


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
    imp.add_argument(
        "--accept-renumbering", action="store_true",
        help="write a text whose paragraphs changed (one gone, inserted or split): every recorded "
        "paragraph keeps its ¶ number (its permalink), new ones take numbers never used",
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

    dif = sub.add_parser(
        "diff",
        help="what changed in the apparatus between two revisions (for reviewers)",
        description="Compares the notes, glossary, registers and texts of BASE (default: the merge "
        "base of HEAD and the upstream branch) with HEAD (default: the work tree). Both sides must pass "
        "`edition check`. Notes are shown with their passage in context and their rendered body.",
    )
    dif.add_argument("base", nargs="?", metavar="BASE", help="a commit, branch or tag")
    dif.add_argument("head", nargs="?", metavar="HEAD", help="a commit, branch or tag (default: the work tree)")
    dif.add_argument("--format", choices=["markdown", "json"], default="markdown", help="default: markdown")
    dif.add_argument("--output", "-o", type=Path, help="write here instead of standard output")
    dif.add_argument("--repo", type=Path, default=Path("."), help="the git repository (default: .)")
    dif.add_argument("--docs", default="docs", help="the texts' folder in the repository (default: docs)")
    dif.add_argument("--annotations", default="annotations", help="default: annotations")
    dif.set_defaults(func=_cmd_diff)

    rel = sub.add_parser(
        "release",
        help="set version and date-released in CITATION.cff, update .zenodo.json, commit and tag v<VERSION>",
        description="Releases the committed state of the edition: checks it, writes VERSION and the date "
        "(--date, else SOURCE_DATE_EPOCH, else today, in UTC) into CITATION.cff, derives .zenodo.json "
        "from it, commits both and tags v<VERSION>. Pushes nothing.",
    )
    rel.add_argument("version", metavar="VERSION", help="1, 1.2 or 1.2.3; later than the last release")
    rel.add_argument("--date", help="the release date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)")
    rel.add_argument("--citation", type=Path, default=Path("CITATION.cff"), help="default: CITATION.cff")
    rel.set_defaults(func=_cmd_release)

    zen = sub.add_parser(
        "zenodo",
        help="write .zenodo.json from CITATION.cff (Zenodo reads it when it archives a release)",
    )
    zen.add_argument("--check", action="store_true", help="write nothing; fail if .zenodo.json differs")
    zen.add_argument("--citation", type=Path, default=Path("CITATION.cff"), help="default: CITATION.cff")
    zen.set_defaults(func=_cmd_zenodo)
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
