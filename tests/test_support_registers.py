"""support.registers_for / copy_registers: the real registers for a project with
only some texts lose exactly the stand-off citations of the others.

Many tests build made-up projects on the real registers; a citation they keep
of a text they lack is an `edition check` error, and one they drop wrongly
would hide a register's claim. Checked on the real works.yaml and on made-up
ones written in the other block layouts YAML allows.
"""

from __future__ import annotations

from itertools import combinations

import pytest
import yaml

from support import ANNOTATIONS, REGISTERS, copy_registers, registers_for


def citations(works_yaml: str) -> list[tuple[str, str, str]]:
    return [(w["id"], c["text"], c["exact"]) for w in yaml.safe_load(works_yaml)["works"] for c in w.get("cited_at") or ()]


def without_citations(works_yaml: str) -> list[dict]:
    return [{k: v for k, v in w.items() if k != "cited_at"} for w in yaml.safe_load(works_yaml)["works"]]


def subsets(items: set[str]):
    for size in range(len(items) + 1):
        yield from (set(c) for c in combinations(sorted(items), size))


def check_kept(source, real: str, keep: set[str]) -> None:
    kept = registers_for(keep, source)["works.yaml"]
    assert citations(kept) == [c for c in citations(real) if c[1] in keep], keep
    assert without_citations(kept) == without_citations(real), keep
    # A work left without citations has no empty cited_at (the schema wants at least one).
    assert all("cited_at" not in w or w["cited_at"] for w in yaml.safe_load(kept)["works"]), keep


def test_the_real_registers_keep_exactly_the_citations_of_the_given_texts():
    real = (ANNOTATIONS / "works.yaml").read_text(encoding="utf-8")
    cited_texts = {text for _, text, _ in citations(real)}
    for keep in [*subsets(cited_texts), {"made-up"}]:
        check_kept(ANNOTATIONS, real, keep)
    # With every cited text, nothing changes, character for character; the other registers never do.
    files = registers_for(cited_texts)
    assert files["works.yaml"] == real
    for name in set(REGISTERS) - {"works"}:
        assert registers_for(set())[f"{name}.yaml"] == (ANNOTATIONS / f"{name}.yaml").read_text(encoding="utf-8")


MADE_UP_WORKS = {
    "indentless": """\
works:
- id: a
  title: A
  cited_at:
  - text: one
    exact: "x"
  - text: two
    paragraph: 2
    exact: "y"
  date: '1930'
- id: b
  title: B
  cited_at:
  - {text: two, exact: "z"}
""",
    "indented, cited_at last": """\
# a comment
works:
  - id: a
    title: A
    cited_at:
      - text: two
        exact: "y"

      - text: one
        prefix: "p "
        exact: "x"
  - id: b
    title: B
    cited_at:
      - text: one
        exact: "w"
""",
}


@pytest.mark.parametrize("layout", MADE_UP_WORKS)
def test_made_up_layouts(tmp_path, layout):
    source = tmp_path / "source"
    source.mkdir()
    for name in REGISTERS:
        (source / f"{name}.yaml").write_text(MADE_UP_WORKS[layout] if name == "works" else f"{name}: []\n",
                                             encoding="utf-8")
    real = MADE_UP_WORKS[layout]
    for keep in subsets({"one", "two"}):
        check_kept(source, real, keep)
    target = copy_registers(tmp_path / "project" / "annotations", {"one"}, source)
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{n}.yaml" for n in REGISTERS)
    assert {text for _, text, _ in citations((target / "works.yaml").read_text(encoding="utf-8"))} == {"one"}
