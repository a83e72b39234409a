"""The visits service: cooperation between schools and the public library."""
