"""The encrypted local store: keys, connection, migrations, records, change log, search."""
