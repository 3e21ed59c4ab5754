"""The Overview: filters and per-item states, KPI figures, charts."""
