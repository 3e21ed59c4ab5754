"""The audit trail: append-only events, their labels in words, the Excel export."""
