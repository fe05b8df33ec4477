"""Reading raw mail bytes before anything parses them: a leaf shared by ``store/`` and ``mailflow/``.

Why a folder of its own: the store must know a message's Message-ID when it stores the bytes
(that is how a message read twice is stored once, before anything acts on it), and mailflow's
transports and decoding need the same reading. The layers (tests/unit/test_layers.py) let
``store/`` import no other folder and ``mailflow/`` only ``policies/``; putting the reader in
either would break them, and copying it is how three readers came about. This folder imports
nothing but the standard library, so both may import it without joining anything else.
"""
