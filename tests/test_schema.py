"""One fact in one place: the page code names no knob, strategy or limit of pymodel's schema."""

import re
from pathlib import Path

from pymodel.worker.schema import schema

ROOT = Path(__file__).resolve().parents[1]
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def test_no_knob_name_or_limit_is_written_in_the_page_code() -> None:
    sch = schema()
    names = {k["name"] for s in sch["strategies"] for k in s["knobs"]}
    names |= {s["name"] for s in sch["strategies"]}
    code = {p: p.read_text() for p in (ROOT / "app").rglob("*.js")}
    for path, text in code.items():
        code_only = COMMENT.sub("", text)
        for name in names:
            # as a string, or as an object key or property: how a copy would be written
            pattern = rf"[\"'`]{name}[\"'`]|\b{name}\s*:|\.{name}\b"
            assert not re.search(pattern, code_only), f"{name} is written in {path}"
        assert str(sch["limits"]["weights_bytes"]) not in text.replace("_", ""), path


def test_the_match_range_reaches_the_page_through_the_schema() -> None:
    from pymodel.sim.rules import MAX_POINTS, MatchRules

    sch = schema()
    assert sch["match"]["points"]["max"] == MAX_POINTS
    assert sch["match"]["points"]["default"] == MatchRules().points
    files = [*(ROOT / "app").rglob("*.js"), ROOT / "public" / "index.html"]
    for path in files:
        code_only = COMMENT.sub("", path.read_text())
        assert not re.search(rf"\b{MAX_POINTS}\b", code_only), f"{MAX_POINTS} is in {path}"
    settings = (ROOT / "app" / "game" / "settings.js").read_text()
    assert "schema).match?.points" in settings  # ?to= is checked against the schema's range
