"""Mirror Pong's model: the game, the features, the numpy MLP, the sampler and the trainer.

Pure Python + numpy, runs unchanged under CPython and Pyodide. Subpackages are layers, each
importing only those before it (tests/test_layers.py checks): ``sim`` (the world), ``learn``
(the clone), ``formats`` (files), ``lab`` (experiments), ``worker`` (the message protocol and
the sessions the browser's workers run), and the command line, ``__main__``.
"""

__version__ = "0.1.0"
