"""The browser's side, layer 5: the message protocol, request fields, the schema, the live
match, the game's and the Lab's sessions (what the two Web Workers run), and the probe.
Imports the layers below; only the command line (``__main__``) is above it."""
