"""Mirror Pong's benchmarks, one module per job; `python scripts/bench` (make bench) runs them.

- boot.py: navigation to playable, cold, warm and offline, the boot stages, the bytes on the
  wire; the phone's warm boot; `--boot-only` (the stock runtime against this build).
- play.py: frame delivery and input to screen, a keyboard player on the desktop and a finger
  on an emulated phone (390x844, DPR 3, touch) at 1x and 4x CPU throttling.
- training.py: training steps per second, CPython, Pyodide idle and in play, hand-written JS.
- lab.py: the Lab's replay speed, and the race (time to mirror) as a child process.
- trace.py: a Chromium performance trace of the phone case, broken down by job.
- sites.py: the sites compared: 'after' (site/) and 'before' (another commit, built apart).
- report.py: the figures (FIGURES) and the goals (GOALS) as data, and the tables built from
  them, before and after side by side with the load average of each measurement.
- common.py: what the jobs share (pages, percentiles, the load average).
"""
