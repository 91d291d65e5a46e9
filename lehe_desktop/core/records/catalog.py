"""Importing this module registers every record type, in dependency order."""

from . import people  # noqa: F401

# isort: split
# Lehe work records, each after the types it references (REGISTRY order = dependency order).
from . import visits  # noqa: F401

# isort: split
from . import activities  # noqa: F401

# isort: split
from . import meetings  # noqa: F401

# isort: split
from . import matters  # noqa: F401

# isort: split
from . import consent  # noqa: F401

# isort: split
from . import purge  # noqa: F401

# isort: split
# Vocabulary items (coordinators' categories): no references, synced to every laptop.
from . import vocab_items  # noqa: F401
