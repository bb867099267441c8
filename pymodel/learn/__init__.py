"""The learner, layer 2: the numpy MLP, the network choices, the replay buffer, the
samplers and the online trainer. Imports only ``sim``."""
