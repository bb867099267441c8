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
