"""Typed errors of the contracts: what a consumer can get wrong when reading a message."""


class ContractError(Exception):
    """A message does not fit the published contracts."""


class UnknownEventType(ContractError):
    """No event of that name is registered."""


class UnsupportedSchemaVersion(ContractError):
    """The event is registered, but no upcaster path leads from that version to the current one."""


class InvalidPayload(ContractError):
    """The payload does not validate against the event's schema."""


class DuplicateRegistration(ContractError):
    """Two classes claim the same event name and schema version."""
