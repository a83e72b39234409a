"""The shared runtime of Samarbeid på tvers, written once for every service.

- :mod:`.eventstore`: events in PostgreSQL, appended with optimistic concurrency and group commit;
- :mod:`.relay`: the events table as an outbox, published to JetStream in order;
- :mod:`.projection`: read models kept from JetStream streams, exactly once in effect;
- :mod:`.subscriber`: a service reacting to another's events (FastStream, inbox, version guard),
  and :mod:`.known_branches`, the branches a service learns from access that way;
- :mod:`.idempotency`: idempotency keys bound to the request that first used them;
- :mod:`.application`, :mod:`.domain`: running commands against aggregates;
- :mod:`.service`, :mod:`.http`, :mod:`.auth`: what a service process and its HTTP API need;
- :mod:`.embedded` and :mod:`.testing`: NATS and PostgreSQL from wheels, and test fixtures.
"""
