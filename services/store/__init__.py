"""The store as a whole: backup, restore and a digest of every table's content."""
