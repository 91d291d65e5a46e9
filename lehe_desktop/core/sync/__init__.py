"""Sync: the field-level merge (merge.py), the wire format (protocol.py) and the laptop's
client (client.py). The server (lehe_desktop.server) runs the same merge."""
