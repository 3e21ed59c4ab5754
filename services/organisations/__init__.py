"""Organisations: Malaysian leads and counterparts; create, edit, merge, delete when unused."""
