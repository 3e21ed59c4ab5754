"""Agreements over their life: the clock, renewal and closing, the package of a visit."""
