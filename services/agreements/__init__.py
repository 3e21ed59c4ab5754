"""Agreements: the register with roll-ups, Set-up (agreements, areas, items), form choices."""
