"""Sync bundles: changes carried on a USB stick as one signed, encrypted ``.lehe`` file
(docs/sync.md "Sync bundles"). ``format`` reads and writes the file; ``keys`` holds the encryption
keys and the server's signed device directory; ``laptop`` exports, imports and takes in receipts.
The server's side is ``lehe_desktop.server.bundles``."""
