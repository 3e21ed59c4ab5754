"""Action items: the progress update, input rules, batches, detail, the list, bulk edit, live states."""
