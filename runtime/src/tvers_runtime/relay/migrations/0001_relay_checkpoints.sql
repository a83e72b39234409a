-- Where each relay has got to: the log position of the last event JetStream acknowledged.
CREATE TABLE relay_checkpoints (
    relay text PRIMARY KEY,
    tx_id xid8 NOT NULL DEFAULT '0',
    global_position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
