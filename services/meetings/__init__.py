"""Joint working group meetings: the register, meeting mode, what changed, the pack."""
