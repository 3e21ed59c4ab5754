"""Source documents: reading uploaded files, storing texts and originals, splitting clauses."""
