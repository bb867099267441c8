"""Where the main thread's time goes: a Chromium performance trace (the devtools timeline and
V8's CPU sampler, what DevTools' Performance panel records) of the phone case while a finger
plays, broken down by job.

Every CPU sample of the page's main thread is given one category: the innermost trace event
around it decides for the browser's own work (style and layout, paint and compositing, canvas
upload, garbage collection, decoding a worker message); otherwise the JavaScript on its stack
does, by the app module that owns it (a chart helper counts for the card that called it);
otherwise the task it runs in (a worker message, the frame's lifecycle). What is left is
"other": the scheduler's own time between tasks and work no event names.
The figures are milliseconds of main thread per second of play, and shares of the busy time
(all but idle)."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from .common import PHONE, new_game
from .play import hold_finger

CATEGORIES = (
    "court drawing",
    "charts",
    "network view",
    "style card",
    "dashboard controls",
    "message handling",
    "input",
    "layout and style recalculation",
    "paint, composite, commit",
    "canvas raster and upload",
    "garbage collection",
    "bench player",
    "other",
)
# Browser work by trace event name (the innermost such event around a sample decides).
NATIVE = {
    "layout and style recalculation": {
        "Layout",
        "UpdateLayoutTree",
        "RecalcStyle",
        "Document::UpdateStyleAndLayout",
        "LocalFrameView::UpdateStyleAndLayout",
        "LocalFrameView::RunStyleAndLayoutLifecyclePhases",
        "LocalFrameView::performLayout",
        "InvalidateLayout",
        "ScheduleStyleRecalculation",
    },
    "paint, composite, commit": {
        "Paint",
        "PrePaint",
        "Layerize",
        "Commit",
        "UpdateLayer",
        "LayerTreeHost::DoUpdateLayers",
        "ProxyMain::BeginMainFrame::commit",
        "LocalFrameView::RunPaintLifecyclePhase",
        "LocalFrameView::RunPrePaintLifecyclePhase",
        "PaintArtifactCompositor::Update",
        "LocalFrameView::pushPaintArtifactToCompositor",
    },
    "canvas raster and upload": {
        "Canvas2DResourceProvider::ProduceCanvasResource",
        "CanvasResource::PrepareTransferableResource",
        "Canvas2DLayerBridge::FlushRecording",
    },
    "garbage collection": {"MinorGC", "MajorGC", "V8.GCScavenger", "V8.GC_MC_INCREMENTAL"},
    "message handling": {"SerializedScriptValueFactory::deserialize"},
}
BY_NAME = {name: cat for cat, names in NATIVE.items() for name in names}
# Tasks whose own time (outside any script or event above) belongs to a job.
CONTEXT = {
    "HandlePostMessage": "message handling",
    "ProxyMain::BeginMainFrame": "paint, composite, commit",
    "WebFrameWidgetImpl::UpdateLifecycle": "paint, composite, commit",
    "EvaluateScript": "bench player",  # during play only page.evaluate runs scripts
}
# JavaScript by the app module on the stack, the one nearest the sample that owns a job;
# charts.js and painter.js are shared helpers and count for their caller.
OWNERS = {
    "renderer.js": "court drawing",
    "training.js": "charts",
    "lab.js": "charts",
    "netview.js": "network view",
    "netcard.js": "network view",
    "stylecard.js": "style card",
    "controls.js": "dashboard controls",
    "keeper.js": "dashboard controls",
    "panel.js": "dashboard controls",
    "input.js": "input",
    "client.js": "message handling",
    "main.js": "message handling",
    "pause.js": "message handling",
    "recovery.js": "message handling",
    "status.js": "message handling",
}
SHARED = {"charts.js": "charts", "painter.js": "charts"}
VM_STATES = ("(root)", "(program)", "(idle)", "(garbage collector)")
TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.frame",
    "v8.execute",
    "disabled-by-default-v8.cpu_profiler",
    "blink",
    "cc",
    "toplevel",
]


def main_thread(events: list[dict]) -> tuple[int, int]:
    """(pid, tid) of the busiest renderer main thread in the trace."""
    names = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    busy = Counter(
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "X" and names.get((e.get("pid"), e.get("tid"))) == "CrRendererMain"
    )
    if not busy:
        raise RuntimeError("the trace has no renderer main thread")
    return busy.most_common(1)[0][0]


def samples_of(events: list[dict], thread: tuple[int, int]) -> list[tuple[float, float, list]]:
    """The thread's CPU samples: (time in trace microseconds, duration, stack of (url, name)
    from the sample up)."""
    profile = next(
        e for e in events if e.get("name") == "Profile" and (e["pid"], e["tid"]) == thread
    )
    nodes: dict[int, dict] = {}
    ids, deltas = [], []
    for e in events:
        if e.get("name") != "ProfileChunk" or e["pid"] != thread[0] or e.get("id") != profile["id"]:
            continue
        data = e["args"]["data"]
        cpu = data.get("cpuProfile", {})
        for n in cpu.get("nodes") or []:
            nodes[n["id"]] = n
        ids += cpu.get("samples") or []
        deltas += data.get("timeDeltas") or []

    def stack(node_id: int) -> list:
        out = []
        while node_id in nodes:
            n = nodes[node_id]
            out.append((n["callFrame"].get("url", ""), n["callFrame"].get("functionName", "")))
            node_id = n.get("parent", -1)
        return out

    t = profile["args"]["data"]["startTime"]
    times = []
    for d in deltas:
        t += d
        times.append(t)
    return [
        (times[i], (times[i + 1] - times[i]) if i + 1 < len(times) else 0.0, stack(ids[i]))
        for i in range(min(len(ids), len(times)))
    ]


def js_category(stack: list) -> str | None:
    """The job of a JavaScript stack (None when it runs no JavaScript)."""
    shared = None
    for url, _ in stack:
        base = url.rsplit("/", 1)[-1].split("?")[0]
        if base in OWNERS:
            return OWNERS[base]
        if base in SHARED and shared is None:
            shared = SHARED[base]
    if shared:
        return shared
    if any(url or name not in VM_STATES for url, name in stack):
        return "bench player"  # JavaScript that is no module of the app: page.evaluate's
    return None


def classify(samples: list, events: list[dict], thread: tuple[int, int]) -> Counter:
    """Microseconds per category (and 'idle'), walking samples and the thread's complete
    events in time order with a stack of the events open at each sample."""
    spans = sorted(  # outer events first where two start together
        (
            (e["ts"], e["ts"] + e["dur"], e["name"])
            for e in events
            if (e.get("pid"), e.get("tid")) == thread and e.get("ph") == "X" and "dur" in e
        ),
        key=lambda s: (s[0], -s[1]),
    )
    out: Counter = Counter()
    open_: list[tuple[float, float, str]] = []
    j = 0
    for t, dt, stack in sorted(samples, key=lambda s: s[0]):
        while j < len(spans) and spans[j][0] <= t:
            open_.append(spans[j])
            j += 1
        open_ = [s for s in open_ if s[1] > t]
        leaf = stack[0][1] if stack else ""
        if leaf == "(idle)":
            out["idle"] += dt
            continue
        native = next((BY_NAME[s[2]] for s in reversed(open_) if s[2] in BY_NAME), None)
        if native is None and leaf == "(garbage collector)":
            native = "garbage collection"
        task = next((CONTEXT[s[2]] for s in reversed(open_) if s[2] in CONTEXT), None)
        out[native or js_category(stack) or task or "other"] += dt
    return out


def breakdown(events: list[dict], seconds: float) -> dict:
    """Milliseconds of main thread per second of play, per category, and the busy share."""
    thread = main_thread(events)
    us = classify(samples_of(events, thread), events, thread)
    busy = sum(v for k, v in us.items() if k != "idle")
    return {
        "seconds": seconds,
        "busy_ms_per_s": busy / 1000 / seconds,
        "ms_per_s": {c: us.get(c, 0) / 1000 / seconds for c in CATEGORIES},
        "share": {c: (us.get(c, 0) / busy if busy else 0.0) for c in CATEGORIES},
    }


def trace_phone(browser, url: str, rate: float, seconds: float, path: Path) -> dict:
    """Trace `seconds` of finger play on the emulated phone at CPU `rate`; the breakdown."""
    context, page = new_game(browser, url, PHONE)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.wait_for_timeout(1000)
    browser.start_tracing(page=page, path=str(path), categories=TRACE_CATEGORIES)
    start = time.monotonic()
    hold_finger(page, cdp, seconds)
    browser.stop_tracing()
    played = time.monotonic() - start
    context.close()
    events = json.loads(path.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    return {**breakdown(events, played), "rate": rate, "trace": str(path)}


def trace_table(runs: dict[str, dict]) -> str:
    """The breakdowns side by side: ms per second of play and share of the busy time."""
    head = ["main thread, ms per s of play"]
    for label in runs:
        head += [label, "share"]
    rows = []
    for c in CATEGORIES:
        row = ["  " + c]
        for r in runs.values():
            row += [f"{r['ms_per_s'][c]:.0f}", f"{100 * r['share'][c]:.0f} %"]
        rows.append(row)
    total = ["busy (all but idle)"]
    for r in runs.values():
        total += [f"{r['busy_ms_per_s']:.0f}", f"load {r['load']:.1f}"]
    from .report import table

    return table(head, [*rows, total])
