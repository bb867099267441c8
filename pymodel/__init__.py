"""Mirror Pong's model: the game, the features, the numpy MLP, the sampler and the trainer.

Pure Python + numpy, runs unchanged under CPython and Pyodide. Only ``adapter`` speaks the
browser's message protocol, and it too works on plain dicts.
"""

__version__ = "0.1.0"
