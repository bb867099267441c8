"""The Lab worker's handler: load, start, step to the end, cancel; the same table as the CLI."""

import json

import pytest

from pymodel.__main__ import main
from pymodel.formats import sessionfile
from pymodel.sim.recording import record_bot
from pymodel.worker.lab_session import LabSession


@pytest.fixture(scope="module")
def text() -> str:
    return sessionfile.to_json(record_bot("edge", 1, 30.0), {"bot": "edge"})


def ask(lab: LabSession, msg: dict) -> list[dict]:
    replies = lab.handle(msg)
    assert replies, msg
    return replies


def test_a_run_goes_from_load_to_a_result_like_the_command_line(text, tmp_path, capsys):
    lab = LabSession()
    loaded = ask(lab, {"type": "lab_load", "text": text})[0]
    assert loaded["type"] == "lab_loaded" and loaded["frames"] == 3600
    first = ask(lab, {"type": "lab_start", "preset": "curation", "seeds": 2})[0]
    assert first["type"] == "lab_progress" and first["fraction"] == 0.0 and first["clones"] == 4
    fractions, result = [], None
    while result is None:
        replies = ask(lab, {"type": "lab_step", "ticks": 600})
        fractions.append(replies[0]["fraction"])
        result = replies[1] if len(replies) > 1 else None
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == 6
    assert result["type"] == "lab_result" and set(result["summary"]) == {"uniform", "relevance"}
    assert result["svg"].startswith("<svg")
    json.dumps(result, allow_nan=False)
    path = tmp_path / "s.json"
    path.write_text(text)
    capsys.readouterr()
    assert main(["lab", str(path), "--seeds", "2"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[: len(result["table"].splitlines())]
        == result["table"].splitlines()
    )


def test_cancel_drops_the_run_and_bad_requests_change_nothing(text):
    lab = LabSession()
    err = ask(lab, {"type": "lab_start", "preset": "curation"})[0]
    assert err["type"] == "error" and "load a recording first" in err["message"]
    ask(lab, {"type": "lab_load", "text": text})
    bad = ask(lab, {"type": "lab_load", "text": "{"})[0]
    assert bad["type"] == "error" and lab.recording is not None  # the loaded one stays
    assert "unknown preset" in ask(lab, {"type": "lab_start", "preset": "magic"})[0]["message"]
    ask(lab, {"type": "lab_start", "preset": "curation", "seeds": 1})
    ask(lab, {"type": "lab_step", "ticks": 100})
    cancelled = ask(lab, {"type": "lab_cancel"})[0]
    assert cancelled["type"] == "lab_cancelled" and cancelled["progress"]["done_ticks"] == 100
    assert "no Lab run" in ask(lab, {"type": "lab_step"})[0]["message"]
    other = ask(lab, {"type": "get_metrics"})[0]
    assert other["type"] == "error" and "not answered by this worker" in other["message"]


def test_a_recording_too_short_is_refused_with_a_reason():
    lab = LabSession()
    ask(lab, {"type": "lab_load", "text": sessionfile.to_json(record_bot("edge", 0, 1.0))})
    err = ask(lab, {"type": "lab_start", "preset": "curation"})[0]
    assert err["type"] == "error" and "too short" in err["message"]
