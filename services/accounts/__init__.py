"""Accounts: passwords and sign-in, user administration, preferences."""
