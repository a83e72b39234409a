-- The event store: one table, append-only. It is also the outbox the relay publishes from.
--
-- global_position orders events within a transaction, tx_id orders transactions. A tailing
-- reader reads by (tx_id, global_position) and only below the oldest transaction still running
-- (pg_snapshot_xmin of the current snapshot), in one statement. A transaction that commits late
-- therefore cannot be skipped: while it runs, the reader stops before it; once it has committed
-- or rolled back, everything below the new horizon is final.
CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY,
    tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL,
    stream_version integer NOT NULL CHECK (stream_version > 0),
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    schema_version integer NOT NULL CHECK (schema_version > 0),
    tenant text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    correlation_id uuid NOT NULL,
    causation_id uuid,
    payload json NOT NULL,
    -- Optimistic concurrency: two appends at the same version of a stream cannot both commit.
    CONSTRAINT events_stream_version_key PRIMARY KEY (stream_id, stream_version),
    -- Idempotency: an event id is stored once.
    CONSTRAINT events_event_id_key UNIQUE (event_id)
);

CREATE INDEX events_tail_idx ON events (tx_id, global_position);
