"""The Qt-free core: records, validation, the encrypted store, the change log and sync rules."""
