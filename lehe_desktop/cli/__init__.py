"""The `lehe-desktop` command line (no Qt here; the GUI is started from __main__)."""
