"""Field validators. Pure functions: no database, no Qt."""
