"""Excel: what the report and the import share, the upload guard; report/ and imports/."""
