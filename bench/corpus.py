"""Scaled corpora for the benchmark, made from the edition's real texts.

``make_corpus(root, n_texts, kind)`` writes, under *root*, one of two corpora:

``kind="generated"`` (the scale test)::

    docs/texts/<id>.md                 N copies of the real texts, taken in turn
    annotations/notes/<id>.yaml        25 notes per text, anchored on real passages
    annotations/glossary.yaml          the real entries plus synthetic ones: 1,000
    annotations/persons.yaml, works.yaml   1,000 persons, 500 works

``kind="real"`` (what editors have: real annotation density)::

    docs/texts/<id>.md                 N copies of the real texts, taken in turn
    annotations/notes/<id>.yaml        each copy's text's real notes file (its
                                       text id and note ids made distinct per copy)
    annotations/glossary.yaml, persons.yaml, works.yaml   the real registers, unchanged

Both also get docs/index.md, the real apparatus pages (glossary, registers),
``conf/`` (the project's, unchanged) and ``conf-plain/`` (the same without
edition.sphinxext). The layout is the repository's (conf/ beside
annotations/), so the extension finds the annotations exactly as in a real
build.

The real texts are whatever documents under docs/ the edition marks as texts
(front matter ``edition-text``), in any number and language. They are copied
verbatim under new ids (front matter ``edition-text`` and file name; ``lang``
kept). Generated note anchors are real passages of the copied text, each
checked to occur exactly once with :func:`edition.anchoring.text_quotes.locate`, the
function the build uses. Synthetic glossary, person and work forms are
pseudo-words in the script of each text language that mostly do not occur in
the texts; a few synthetic entries get one real word of a text as a form, so
they are found and linked too. Forms are unique across entries, as
``edition check`` requires.

Everything is deterministic (fixed seeds): two runs give the same corpus.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from edition.anchoring.formrules import form_problem
from edition.reading.texts import TEXT_ID_KEY, text_front_matters

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONF = ROOT / "conf"
ANNOTATIONS = ROOT / "annotations"
#: Where the persons and works registries were drafted before they reached annotations/.
DRAFTS = Path("/tmp/edition_work")

KINDS = ("generated", "real")
NOTES_PER_TEXT = 25
GLOSSARY_ENTRIES = 1000
PERSONS = 1000
WORKS = 500
#: Share of synthetic entries given one real word of the texts as a form.
OCCURRING_SHARE = 0.03


@dataclass(frozen=True)
class RealText:
    id: str
    lang: str
    path: Path

    @property
    def notes_path(self) -> Path:
        return ANNOTATIONS / "notes" / f"{self.id}.yaml"


def real_texts() -> list[RealText]:
    """The edition's texts, in docname order (none is assumed by name or number)."""
    found = [RealText(str(meta[TEXT_ID_KEY]), str(meta.get("lang", "en")), path)
             for path, _, meta in text_front_matters(DOCS)]
    if not found:
        raise RuntimeError(f"no texts under {DOCS}: nothing to copy")
    return found


def text_languages() -> list[str]:
    return sorted({text.lang for text in real_texts()})


PLAIN_STAND_INS = '''

# --- benchmark: plain Sphinx --------------------------------------------------
# Only the third-party extensions. The same sources use the edition's
# directives and refer to the labels of its indices: no-op stand-ins and
# ignored references keep them building without warnings.
extensions = ["myst_parser"]

import re as _re  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

from docutils import nodes as _nodes  # noqa: E402
from docutils.parsers.rst import Directive as _Directive  # noqa: E402


class _Nothing(_Directive):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        return []


class _Attribution(_Directive):
    has_content = True

    def run(self):
        text = "\\n".join(self.content)
        return [_nodes.attribution(text, text)]


# The edition's indices (edition-persons, edition-works) are not there to refer to.
suppress_warnings = ["ref.ref"]
# Nor are the edition's own templates: the sidebars keep the theme's others. The
# project's conf.py sets no html_sidebars (edition.sphinxext.navigation puts its own
# in), so plain Sphinx has the theme's default sidebar, every text on every page:
# what a plain Sphinx project with this theme gets, and the fair baseline (bench/run.py).
html_sidebars = {_page: [_t for _t in _templates if not _t.startswith("edition-")]
                 for _page, _templates in globals().get("html_sidebars", {}).items()}


def setup(app):
    names = set()
    for path in _Path(app.srcdir).rglob("*.md"):
        names |= set(_re.findall(r"[`:]{3,}\\{(edition-[a-z-]+)\\}", path.read_text(encoding="utf-8")))
    for name in sorted(names):
        app.add_directive(name, _Nothing)
    app.add_directive("attribution", _Attribution)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


class _Dumper(yaml.SafeDumper):
    """No anchors/aliases: the edition's loader refuses them."""

    def ignore_aliases(self, data):
        return True


def _str(dumper: yaml.SafeDumper, data: str):
    style = "|" if "\n" in data else None  # note bodies as block scalars, as people write them
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data, path: Path, header: str = "") -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(header + text, encoding="utf-8")


# --- texts and notes -----------------------------------------------------------------


def copy_ids(n_texts: int) -> list[tuple[str, RealText]]:
    """(new id, real text) for every copy: the real texts in turn."""
    texts = real_texts()
    return [(f"{texts[i % len(texts)].lang}-copy-{i + 1:04d}", texts[i % len(texts)]) for i in range(n_texts)]


def anchor_pool(real: RealText, size: int = 400, seed: int = 1) -> list[str]:
    """Passages of the real text that occur exactly once, as note anchors."""
    from edition.anchoring.text_quotes import Anchor, Placement, locate
    from edition.checking.check import anchor_blocks
    from edition.reading.texts import load_text

    text = load_text(real.path, DOCS)
    blocks = anchor_blocks(text)
    rng = random.Random(f"{seed}-{real.id}")
    pool: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(pool) < size and attempts < size * 50:
        attempts += 1
        block = rng.choice(blocks)
        words = block.text.split(" ")
        if len(words) < 3:
            continue
        start = rng.randrange(len(words))
        length = rng.randint(2, 4)
        exact = " ".join(words[start : start + length]).strip()
        if len(exact) < 6 or "\n" in exact or exact in seen:
            continue
        if isinstance(locate(Anchor(exact), blocks), Placement):  # unique in the text
            seen.add(exact)
            pool.append(exact)
    return pool  # a short text may have fewer than NOTES_PER_TEXT: it gets what it has


def real_notes() -> list[dict]:
    notes = []
    for path in sorted((ANNOTATIONS / "notes").glob("*.yaml")):
        notes += yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]
    return notes


def copy_text(root: Path, new_id: str, real: RealText) -> None:
    source = real.path.read_text(encoding="utf-8")
    text, count = re.subn(rf"^{TEXT_ID_KEY}: .*$", f"{TEXT_ID_KEY}: {new_id}", source, count=1, flags=re.M)
    assert count == 1, real.path
    (root / "docs" / "texts" / f"{new_id}.md").write_text(text, encoding="utf-8")


def write_generated_notes(root: Path, copies: list[tuple[str, RealText]]) -> int:
    """NOTES_PER_TEXT notes per copy: real note bodies on synthetic anchors."""
    pools: dict[str, list[str]] = {}
    templates = real_notes()
    count = 0
    for index, (new_id, real) in enumerate(copies):
        if real.id not in pools:
            pools[real.id] = anchor_pool(real)
        rng = random.Random(f"notes-{new_id}")
        anchors = rng.sample(pools[real.id], min(NOTES_PER_TEXT, len(pools[real.id])))
        notes = []
        for number, exact in enumerate(anchors, 1):
            template = templates[(index * NOTES_PER_TEXT + number) % len(templates)]
            note = {
                "id": f"{new_id}-n{number:02d}",
                "kind": template["kind"],
                "anchor": {"exact": exact},
                # Unique per note, as real notes are: caches keyed by a body's
                # text must not look better here than they would be.
                "body": f"{template['body'].rstrip()} (Note {number} on {new_id}.)\n",
            }
            for key in ("sources", "contributor"):
                if key in template:
                    note[key] = template[key]
            notes.append(note)
        dump_yaml({"text": new_id, "notes": notes}, root / "annotations" / "notes" / f"{new_id}.yaml")
        count += len(notes)
    return count


def write_real_notes(root: Path, copies: list[tuple[str, RealText]]) -> int:
    """Each copy gets its real text's notes, unchanged but for the ids."""
    count = 0
    for new_id, real in copies:
        if not real.notes_path.exists():
            continue
        data = yaml.safe_load(real.notes_path.read_text(encoding="utf-8")) or {}
        notes = data.get("notes") or []
        for note in notes:
            note["id"] = f"{note['id']}-{new_id}"
        count += len(notes)
        dump_yaml({**data, "text": new_id, "notes": notes}, root / "annotations" / "notes" / f"{new_id}.yaml")
    return count


def write_index(root: Path, copies: list[tuple[str, RealText]]) -> None:
    """An index listing the copies, and the real apparatus pages (glossary, registers, ...)."""
    apparatus = sorted(p for p in DOCS.glob("*.md") if p.name != "index.md")
    for page in apparatus:
        shutil.copy(page, root / "docs" / page.name)
    texts = "\n".join(f"texts/{new_id}" for new_id, _ in copies)
    pages = "\n".join(p.stem for p in apparatus)
    (root / "docs" / "index.md").write_text(
        "# Benchmark edition\n\nA scaled copy of the edition's texts and apparatus.\n\n"
        f"```{{toctree}}\n:caption: Texts\n:maxdepth: 1\n:hidden:\n\n{texts}\n```\n\n"
        f"```{{toctree}}\n:caption: Apparatus\n:maxdepth: 1\n:hidden:\n\n{pages}\n```\n",
        encoding="utf-8",
    )


# --- synthetic forms -----------------------------------------------------------------

_HANGUL_INITIALS, _HANGUL_MEDIALS, _HANGUL_FINALS = 19, 21, 28
_CYRILLIC_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
_CYRILLIC_VOWELS = "аеиоуыэюя"
_LATIN_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_LATIN_VOWELS = "aeiouy"


def _hangul_syllable(rng: random.Random) -> str:
    code = (rng.randrange(_HANGUL_INITIALS) * _HANGUL_MEDIALS + rng.randrange(_HANGUL_MEDIALS)) * _HANGUL_FINALS
    return chr(0xAC00 + code + rng.choice((0, 0, 0, rng.randrange(_HANGUL_FINALS))))


def _syllables(rng: random.Random, consonants: str, vowels: str, count: int) -> str:
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(count))


def script_of(text: str) -> str:
    """The script most of a text's letters are in: "hangul", "cyrillic" or "latin"
    (any other script gets Latin pseudo-words, which do not occur in it either)."""
    counts = {"hangul": 0, "cyrillic": 0, "latin": 0}
    for char in text:
        if "\uac00" <= char <= "\ud7a3":
            counts["hangul"] += 1
        elif "\u0400" <= char <= "\u04ff":
            counts["cyrillic"] += 1
        elif char.isascii() and char.isalpha():
            counts["latin"] += 1
    return max(counts, key=lambda script: (counts[script], script == "latin"))


def language_scripts() -> dict[str, str]:
    """Each text language's script, from its texts (the apparatus language, English, is Latin)."""
    scripts = {"en": "latin"}
    for text in real_texts():
        scripts.setdefault(text.lang, script_of(text.path.read_text(encoding="utf-8")))
    return scripts


def pseudo_word(rng: random.Random, script: str) -> str:
    """A made-up word in a script, unlikely to occur in the texts."""
    if script == "hangul":
        return "".join(_hangul_syllable(rng) for _ in range(rng.randint(3, 4)))
    if script == "cyrillic":
        word = _syllables(rng, _CYRILLIC_CONSONANTS, _CYRILLIC_VOWELS, rng.randint(3, 5))
        return word.capitalize() if rng.random() < 0.3 else word
    return _syllables(rng, _LATIN_CONSONANTS, _LATIN_VOWELS, rng.randint(3, 4)).capitalize()


class FormRegistry:
    """Hands out forms that no other entry has (per language)."""

    def __init__(self, scripts: dict[str, str]) -> None:
        self.scripts = scripts
        self.taken: dict[str, set[str]] = {lang: set() for lang in scripts}

    def claim(self, lang: str, form: str) -> bool:
        taken = self.taken.setdefault(lang, set())
        if form in taken:
            return False
        taken.add(form)
        return True

    def fresh(self, rng: random.Random, lang: str) -> str:
        while True:
            form = pseudo_word(rng, self.scripts.get(lang, "latin"))
            if self.claim(lang, form):
                return form


_WORD = re.compile(r"\w{6,}")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]{3,}")


def text_words() -> dict[str, list[str]]:
    """Words of the real texts, per language (Hangul: without the last syllable,
    where particles go), to give a few synthetic entries forms that occur."""
    found: dict[str, set[str]] = {}
    for text in real_texts():
        body = text.path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        if script_of(body) == "hangul":
            words = {w[:-1] for w in _HANGUL_WORD.findall(body)}
        else:
            words = {w for w in _WORD.findall(body) if w.islower() and not any(c.isdigit() for c in w)}
        found.setdefault(text.lang, set()).update(words)
    # Function words (때문 of 때문에) are refused as forms: keep them out.
    return {lang: [w for w in sorted(words) if form_problem(w, lang, None) is None] for lang, words in found.items()}


def synthetic_forms(rng: random.Random, registry: FormRegistry, occurring: dict[str, list[str]] | None):
    forms: dict[str, list[str]] = {"en": [registry.fresh(rng, "en")]}
    for lang in text_languages():
        forms.setdefault(lang, [])
        if occurring is not None and occurring.get(lang) and not forms[lang]:
            while occurring[lang]:
                word = occurring[lang].pop(rng.randrange(len(occurring[lang])))
                if registry.claim(lang, word):
                    forms[lang].append(word)
                    break
        while len(forms[lang]) < 2:
            forms[lang].append(registry.fresh(rng, lang))
    return forms


# --- glossary, persons, works -----------------------------------------------------------


def _real_register(name: str) -> list[dict]:
    """The real persons/works: annotations/ once they are there, else the drafts."""
    for path in (ANNOTATIONS / f"{name}.yaml", DRAFTS / f"{name}.yaml"):
        if path.exists():
            return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(name) or [])
    return []


def aim_citations(works: list[dict], copies: list[tuple[str, RealText]]) -> list[dict]:
    """The works with their stand-off citations (``cited_at``) of each real
    text made citations of every copy of it: the copies cite what it cites."""
    for work in works:
        if work.get("cited_at"):
            work["cited_at"] = [{**citation, "text": new_id} for citation in work["cited_at"]
                                for new_id, real in copies if real.id == citation["text"]]
            if not work["cited_at"]:
                del work["cited_at"]
    return works


def write_registers(root: Path, copies: list[tuple[str, RealText]]) -> dict[str, int]:
    """glossary.yaml, persons.yaml and works.yaml: the real entries plus synthetic ones.

    One form registry for all three: ``edition check`` wants a string of the
    texts to name one entry only, across registers."""
    glossary = yaml.safe_load((ANNOTATIONS / "glossary.yaml").read_text(encoding="utf-8"))["entries"]
    persons = _real_register("persons")
    works = aim_citations(_real_register("works"), copies)
    registry = FormRegistry(language_scripts())
    for entry in glossary + persons:
        for lang, forms in entry["forms"].items():
            for form in forms or ():
                registry.claim(lang, form)
    for work in works:
        for lang, forms in (work.get("cited_as") or {}).items():
            for form in forms or ():
                registry.claim(lang, form)

    rng = random.Random("glossary")
    words = text_words()
    real = list(glossary)
    for number in range(1, GLOSSARY_ENTRIES - len(real) + 1):
        template = real[number % len(real)]
        forms = synthetic_forms(rng, registry, words if rng.random() < OCCURRING_SHARE else None)
        entry = {
            "id": f"synthetic-term-{number:04d}",
            "headword": f"{forms['en'][0]} {number}",
            "forms": forms,
            "definition": template["definition"],
        }
        if "sources" in template:
            entry["sources"] = template["sources"]
        entry["related"] = [template["id"]] + ([f"synthetic-term-{number - 1:04d}"] if number > 1 else [])
        glossary.append(entry)
    dump_yaml({"entries": glossary}, root / "annotations" / "glossary.yaml",
              "# Benchmark glossary: the real entries plus synthetic ones.\n")

    rng = random.Random("persons")
    for number in range(1, PERSONS - len(persons) + 1):
        forms = synthetic_forms(rng, registry, None)
        name = f"{forms['en'][0]} {number}"
        persons.append({
            "id": f"synthetic-person-{number:04d}",
            "name": name,
            "sort_name": name,
            "born": 1850 + number % 60,
            "died": 1900 + number % 60,
            "forms": forms,
            "identification": "A synthetic person of the benchmark corpus.",
        })
    dump_yaml({"persons": persons}, root / "annotations" / "persons.yaml",
              "# Benchmark register of persons: the real entries plus synthetic ones.\n")

    rng = random.Random("works")
    person_ids = [p["id"] for p in persons]
    languages = text_languages()
    for number in range(1, WORKS - len(works) + 1):
        # A work's original title is in one text language, cited as it is there
        # and under a made-up form in the others.
        original = languages[number % len(languages)]
        title = registry.fresh(rng, original)
        cited_as = {lang: [title if lang == original else registry.fresh(rng, lang)] for lang in languages}
        works.append({
            "id": f"synthetic-work-{number:04d}",
            "author": person_ids[number % len(person_ids)],
            "title": f"{title.capitalize()} {number}",
            "title_lang": original,
            "title_en": f"{registry.fresh(rng, 'en')} {number}",
            "cited_as": cited_as,
            "date": f"{1900 + number % 40}",
            "collection": None,
            "url": None,
        })
    dump_yaml({"works": works}, root / "annotations" / "works.yaml",
              "# Benchmark register of works: the real entries plus synthetic ones.\n")
    return {"glossary_entries": len(glossary), "persons": len(persons), "works": len(works)}


# --- configurations --------------------------------------------------------------------


def write_confs(root: Path) -> None:
    shutil.copytree(CONF, root / "conf", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "conf-plain").mkdir()
    conf = (CONF / "conf.py").read_text(encoding="utf-8")
    assert '"edition.sphinxext"' in conf, "conf/conf.py no longer lists edition.sphinxext"
    (root / "conf-plain" / "conf.py").write_text(conf + PLAIN_STAND_INS, encoding="utf-8")


def write_real_registers(root: Path, copies: list[tuple[str, RealText]]) -> dict[str, int]:
    """The edition's own registers, unchanged but for the stand-off citations,
    made citations of the copies of the texts they cite."""
    counts = {}
    for name, key in (("glossary", "entries"), ("persons", "persons"), ("works", "works")):
        source = ANNOTATIONS / f"{name}.yaml"
        if name == "works":
            works = aim_citations(_real_register("works"), copies)
            dump_yaml({"works": works}, root / "annotations" / source.name,
                      "# The edition's register of works, its citations aimed at the copies of the texts.\n")
        else:
            shutil.copy(source, root / "annotations" / source.name)
        counts["glossary_entries" if name == "glossary" else name] = len(
            (yaml.safe_load(source.read_text(encoding="utf-8")) or {}).get(key) or [])
    return counts


def make_corpus(root: Path, n_texts: int, kind: str = "generated") -> dict:
    """Write the corpus under *root* (which must not exist); return its counts."""
    if kind not in KINDS:
        raise ValueError(f"corpus kind must be one of {KINDS}, not {kind!r}")
    root.mkdir(parents=True)
    (root / "docs" / "texts").mkdir(parents=True)
    (root / "annotations" / "notes").mkdir(parents=True)
    copies = copy_ids(n_texts)
    for new_id, real in copies:
        copy_text(root, new_id, real)
    notes = (write_generated_notes if kind == "generated" else write_real_notes)(root, copies)
    write_index(root, copies)
    counts = (write_registers if kind == "generated" else write_real_registers)(root, copies)
    write_confs(root)
    return {
        "kind": kind,
        "texts": len(copies),
        "notes": notes,
        **counts,
        "source_bytes": sum(p.stat().st_size for p in (root / "docs").rglob("*.md")),
    }


if __name__ == "__main__":  # python bench/corpus.py DIR N [generated|real]: write one corpus to look at
    import json
    import sys

    print(json.dumps(make_corpus(Path(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:4]), indent=2))
