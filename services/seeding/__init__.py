"""Start-up and seeding: facts from the source, sample data and histories, synthetic data."""
