"""A scaled corpus for the benchmark, made from the edition's real texts.

``make_corpus(root, n_texts)`` writes, under *root*::

    docs/index.md, docs/glossary.md, docs/texts/<id>.md   N copies of the two real texts
    annotations/glossary.yaml                               1,000 entries, 5+ forms each
    annotations/notes/<id>.yaml                             25 notes per text
    annotations/persons.yaml, annotations/works.yaml        1,000 persons, 500 works
    conf/conf.py                                            the project's conf, unchanged
    conf-plain/conf.py                                      the same without edition.sphinxext

The layout is the repository's (conf/ beside annotations/), so the
extension finds the annotations exactly as in a real build.

Texts are copied verbatim under new ids (front matter ``edition-text`` and
file name; ``lang`` kept). Note anchors are real passages of the copied text,
each checked to occur exactly once with :func:`edition.anchoring.locate`, the
function the build uses. Synthetic glossary, person and work forms are
pseudo-words that mostly do not occur in the texts; a few synthetic entries
get one real word of a text as a form, so they are found and linked too.
Forms are unique across entries, as ``edition check`` requires.

Everything is deterministic (fixed seeds): two runs give the same corpus.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from edition.formrules import form_problem

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONF = ROOT / "conf"
ANNOTATIONS = ROOT / "annotations"
#: Where the persons and works registries were drafted before they reached annotations/.
DRAFTS = Path("/tmp/edition_work")

SOURCES = {
    # real text id -> prefix of the copies' ids
    "trotsky-left-opposition": "ko-copy",
    "ciliga-gpu-prisons": "ru-copy",
}
NOTES_PER_TEXT = 25
GLOSSARY_ENTRIES = 1000
FORMS_PER_ENTRY = 5  # synthetic entries: 1 en, 2 ko, 2 ru
PERSONS = 1000
WORKS = 500
#: Share of synthetic entries given one real word of the texts as a form.
OCCURRING_SHARE = 0.03

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


def text_path(text_id: str) -> Path:
    return DOCS / "texts" / f"{text_id}.md"


def copy_ids(n_texts: int) -> list[tuple[str, str]]:
    """(new id, real id) for every copy: the two texts alternate."""
    real = list(SOURCES)
    return [(f"{SOURCES[real[i % 2]]}-{i + 1:04d}", real[i % 2]) for i in range(n_texts)]


def anchor_pool(real_id: str, size: int = 400, seed: int = 1) -> list[str]:
    """Passages of the real text that occur exactly once, as note anchors."""
    from edition.anchoring import Anchor, Placement, locate
    from edition.check import anchor_blocks
    from edition.texts import load_text

    text = load_text(text_path(real_id), DOCS)
    blocks = anchor_blocks(text)
    rng = random.Random(f"{seed}-{real_id}")
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
    if len(pool) < NOTES_PER_TEXT:
        raise RuntimeError(f"only {len(pool)} unique passages found in {real_id}")
    return pool


def real_notes() -> list[dict]:
    notes = []
    for path in sorted((ANNOTATIONS / "notes").glob("*.yaml")):
        notes += yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]
    return notes


def write_texts_and_notes(root: Path, n_texts: int) -> list[tuple[str, str]]:
    copies = copy_ids(n_texts)
    (root / "docs" / "texts").mkdir(parents=True)
    (root / "annotations" / "notes").mkdir(parents=True)
    sources = {real: text_path(real).read_text(encoding="utf-8") for real in SOURCES}
    pools = {real: anchor_pool(real) for real in SOURCES}
    templates = real_notes()
    for index, (new_id, real_id) in enumerate(copies):
        source = sources[real_id]
        text, count = re.subn(
            rf"^edition-text: {re.escape(real_id)}$", f"edition-text: {new_id}", source, count=1, flags=re.M
        )
        assert count == 1, real_id
        (root / "docs" / "texts" / f"{new_id}.md").write_text(text, encoding="utf-8")

        rng = random.Random(f"notes-{new_id}")
        anchors = rng.sample(pools[real_id], NOTES_PER_TEXT)
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
    return copies


def write_index(root: Path, copies: list[tuple[str, str]]) -> None:
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


def pseudo_word(rng: random.Random, lang: str) -> str:
    """A made-up word in the language's script, unlikely to occur in the texts."""
    if lang == "ko":
        return "".join(_hangul_syllable(rng) for _ in range(rng.randint(3, 4)))
    if lang == "ru":
        word = _syllables(rng, _CYRILLIC_CONSONANTS, _CYRILLIC_VOWELS, rng.randint(3, 5))
        return word.capitalize() if rng.random() < 0.3 else word
    return _syllables(rng, _LATIN_CONSONANTS, _LATIN_VOWELS, rng.randint(3, 4)).capitalize()


class FormRegistry:
    """Hands out forms that no other entry has (per language)."""

    def __init__(self) -> None:
        self.taken: dict[str, set[str]] = {"en": set(), "ko": set(), "ru": set()}

    def claim(self, lang: str, form: str) -> bool:
        if form in self.taken[lang]:
            return False
        self.taken[lang].add(form)
        return True

    def fresh(self, rng: random.Random, lang: str) -> str:
        while True:
            form = pseudo_word(rng, lang)
            if self.claim(lang, form):
                return form


def text_words() -> dict[str, list[str]]:
    """Words of the real texts (Korean: without the last syllable, where particles go)."""
    words: dict[str, list[str]] = {}
    for real, lang in (("trotsky-left-opposition", "ko"), ("ciliga-gpu-prisons", "ru")):
        body = text_path(real).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        pattern = r"[가-힣]{3,}" if lang == "ko" else r"[а-яё]{6,}"
        found = sorted(set(re.findall(pattern, body)))
        if lang == "ko":
            found = sorted({w[:-1] for w in found})
        # Function words (때문 of 때문에) are refused as forms: keep them out.
        words[lang] = [w for w in found if form_problem(w, lang, None) is None]
    return words


def synthetic_forms(rng: random.Random, registry: FormRegistry, occurring: dict[str, list[str]] | None):
    forms = {"en": [registry.fresh(rng, "en")], "ko": [], "ru": []}
    for lang in ("ko", "ru"):
        if occurring is not None and occurring[lang] and not forms[lang]:
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


def write_registers(root: Path) -> dict[str, int]:
    """glossary.yaml, persons.yaml and works.yaml: the real entries plus synthetic ones.

    One form registry for all three: ``edition check`` wants a string of the
    texts to name one entry only, across registers."""
    glossary = yaml.safe_load((ANNOTATIONS / "glossary.yaml").read_text(encoding="utf-8"))["entries"]
    persons = _real_register("persons")
    works = _real_register("works")
    registry = FormRegistry()
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
    for number in range(1, WORKS - len(works) + 1):
        title = registry.fresh(rng, "ru")
        works.append({
            "id": f"synthetic-work-{number:04d}",
            "author": person_ids[number % len(person_ids)],
            "title": f"{title.capitalize()} {number}",
            "title_lang": "ru",
            "title_en": f"{registry.fresh(rng, 'en')} {number}",
            "cited_as": {"ko": [registry.fresh(rng, "ko")], "ru": [title]},
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


def make_corpus(root: Path, n_texts: int) -> dict:
    """Write the corpus under *root* (which must not exist); return its counts."""
    root.mkdir(parents=True)
    copies = write_texts_and_notes(root, n_texts)
    write_index(root, copies)
    counts = write_registers(root)
    write_confs(root)
    return {
        "texts": len(copies),
        "notes": len(copies) * NOTES_PER_TEXT,
        **counts,
        "source_bytes": sum(p.stat().st_size for p in (root / "docs").rglob("*.md")),
    }


if __name__ == "__main__":  # python bench/corpus.py DIR N: write one corpus to look at
    import json
    import sys

    print(json.dumps(make_corpus(Path(sys.argv[1]), int(sys.argv[2])), indent=2))
