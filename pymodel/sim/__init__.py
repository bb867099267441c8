"""The world, layer 1: Pong's physics, what a player sees, scripted players, recordings of
play and style fingerprints. Imports nothing from the other layers."""
