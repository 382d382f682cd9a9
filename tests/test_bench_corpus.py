"""The benchmark's corpora (bench/corpus.py) are valid editions of the kind they claim.

`make bench` is not run by the suite, so these tests keep its corpora from
rotting: each kind, built from whatever texts the edition has, must pass
``edition check`` (the gate the build runs), copy every text verbatim under a
new id, and give every copy distinct text and note ids.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import copy_ids, make_corpus, real_texts, script_of  # noqa: E402

from edition.reading.texts import TEXT_ID_KEY, split_front_matter, text_front_matters  # noqa: E402
from support import run_edition  # noqa: E402


def _check(root: Path) -> subprocess.CompletedProcess:
    return run_edition("check", "--docs", root / "docs", "--annotations", root / "annotations", cwd=root)


@pytest.mark.parametrize("kind", ["generated", "real"])
def test_corpus_is_a_valid_edition_with_distinct_ids(tmp_path, kind):
    texts = real_texts()
    size = 2 * len(texts) + 1  # every text copied more than once, and not evenly
    counts = make_corpus(tmp_path / "corpus", size, kind)
    root = tmp_path / "corpus"

    copies = text_front_matters(root / "docs")
    assert counts["texts"] == len(copies) == size
    ids = [str(meta[TEXT_ID_KEY]) for _, _, meta in copies]
    assert len(set(ids)) == size, Counter(ids).most_common(3)

    # Each copy is its source, character for character, but for the id line.
    sources = {t.lang: [] for t in texts}
    for text in texts:
        sources[text.lang].append(split_front_matter(text.path.read_text(encoding="utf-8"))[1])
    for path, _, meta in copies:
        body = split_front_matter(path.read_text(encoding="utf-8"))[1]
        assert body in sources[str(meta["lang"])], path.name

    note_ids = []
    for notes_file in sorted((root / "annotations" / "notes").glob("*.yaml")):
        data = yaml.safe_load(notes_file.read_text(encoding="utf-8"))
        assert data["text"] == notes_file.stem and data["text"] in ids
        note_ids += [note["id"] for note in data["notes"]]
    assert len(note_ids) == counts["notes"] > 0
    assert len(set(note_ids)) == len(note_ids), Counter(note_ids).most_common(3)

    result = _check(root)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_real_density_corpus_keeps_each_texts_real_notes(tmp_path):
    texts = real_texts()
    make_corpus(tmp_path / "corpus", len(texts), "real")
    for new_id, text in copy_ids(len(texts)):
        assert (tmp_path / "corpus" / "docs" / "texts" / f"{new_id}.md").exists()
        copied = tmp_path / "corpus" / "annotations" / "notes" / f"{new_id}.yaml"
        if not text.notes_path.exists():
            assert not copied.exists()
            continue
        original = yaml.safe_load(text.notes_path.read_text(encoding="utf-8"))["notes"]
        made = yaml.safe_load(copied.read_text(encoding="utf-8"))["notes"]
        # The same notes, in order, with the same anchors and bodies: only the ids differ.
        strip = [{k: v for k, v in note.items() if k != "id"} for note in original]
        assert [{k: v for k, v in note.items() if k != "id"} for note in made] == strip


@pytest.mark.parametrize(
    ("sample", "script"),
    [("트로츠키와 좌익반대파", "hangul"), ("Левая оппозиция", "cyrillic"), ("Die linke Opposition", "latin"),
     ("Η αριστερή αντιπολίτευση", "latin"), ("", "latin")],
)
def test_script_of_made_up_samples(sample, script):
    # A script the bench has no pseudo-words for (Greek) falls back to Latin ones.
    assert script_of(sample) == script
