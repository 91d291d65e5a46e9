"""Record types: their fields, vocabularies and validation rules (data, not Qt, not SQL)."""

# Importing the package registers every record type (schema.REGISTRY), in dependency order, so
# record_type() and all_types() see them all without schema.py importing its own users.
from . import catalog  # noqa: F401
