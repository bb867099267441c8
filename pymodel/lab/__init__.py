"""Experiments, layer 4: variants and presets, the mirror judge, the replay engine, the race,
and their reports and charts. Imports the layers below."""
