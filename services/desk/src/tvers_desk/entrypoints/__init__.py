"""The desk's HTTP entrypoints (FastAPI routers); every route names the roles that may call it."""
