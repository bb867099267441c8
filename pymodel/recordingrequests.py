"""The game worker's requests about the recording of play: download it, clear it, and the
style fingerprints computed from it. A mixin of ``adapter.Session`` (which owns
``recording`` and ``seed``), kept apart so the adapter stays a short router."""

from __future__ import annotations

from . import __version__, sessionfile, style
from .fields import num_field
from .recording import Recording


class RecordingRequests:
    """``export_session``, ``clear_recording`` and ``get_style`` (see protocol.REQUESTS)."""

    recording: Recording
    seed: int

    def _on_export_session(self, msg: dict) -> list[dict]:
        meta = {"created_by": f"pymodel {__version__}", "seed": self.seed}
        return [{"type": "session", **sessionfile.export(self.recording, meta)}]

    def _on_clear_recording(self, msg: dict) -> list[dict]:
        self.recording.clear()
        return [{"type": "recording", **self.recording.summary()}]

    def _on_get_style(self, msg: dict) -> list[dict]:
        window = num_field(msg, "window_s", 180.0, lo=10.0, hi=1800.0)
        return [{"type": "style", **style.report(self.recording, window)}]
