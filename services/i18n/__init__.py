"""Languages: translation and locale formatting, the catalogs, content per language."""
