"""Files, layer 3: safe JSON parsing, the weights file and the session file. Imports
``sim`` and ``learn``."""
