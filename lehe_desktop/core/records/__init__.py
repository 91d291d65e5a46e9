"""Record types: their fields, vocabularies and validation rules (data, not Qt, not SQL)."""
