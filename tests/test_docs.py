"""The docs say what the code does: generated tables equal their generators, the README stays
a front door (short, every link it makes exists), and every docs/ page is linked from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pymodel.sim.features import feature_table
from pymodel.sim.style import trait_table
from pymodel.worker.protocol import message_table
from pymodel.worker.schema import knob_table

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def generated(path: Path, name: str) -> str:
    """The body between ``<!-- NAME: generated ...`` and ``<!-- end NAME -->`` in ``path``."""
    text = path.read_text()
    start = text.index(f"<!-- {name}: generated")
    return text[text.index("\n", start) + 1 : text.index(f"<!-- end {name} -->")].strip()


@pytest.mark.parametrize(
    "path,name,make",
    [
        ("README.md", "knob table", knob_table),
        ("README.md", "feature table", feature_table),
        ("docs/protocol.md", "protocol table", message_table),
        ("docs/experiments.md", "trait table", trait_table),
    ],
)
def test_each_generated_table_is_what_its_generator_prints(path, name, make):
    assert generated(ROOT / path, name) == make()


def test_the_readme_is_short_and_every_file_it_links_exists():
    text = README.read_text()
    assert len(text.splitlines()) <= 250
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if not link.startswith("http")]
    assert "docs/experiments.md" in local and "CHANGELOG.md" in local
    missing = [link for link in local if not (ROOT / link).exists()]
    assert missing == []


def test_every_doc_is_linked_from_the_readme_and_links_only_what_exists():
    text = README.read_text()
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{doc.name}" in text, doc.name
        for link in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text()):
            if not link.startswith("http"):
                assert (doc.parent / link).exists(), f"{doc.name} links {link}"
