"""The central sync server (`lehe-server`): ASGI app, storage, admin CLI. Never imports Qt."""
