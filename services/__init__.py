"""Domain logic. Never imports streamlit (tests/unit/test_layers.py checks)."""
