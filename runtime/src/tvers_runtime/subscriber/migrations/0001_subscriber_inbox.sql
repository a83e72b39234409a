-- Cross-service subscribers (FastStream, durable JetStream consumers).
--
-- The inbox: each event a subscriber has taken, recorded in the same transaction as its effect,
-- so that a redelivered message changes nothing.
CREATE TABLE subscriber_inbox (
    subscriber text NOT NULL,
    event_id uuid NOT NULL,
    stream_id text NOT NULL,
    stream_version integer NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber, event_id)
);

-- The version guard: per source stream (an aggregate of the owning service, e.g. branch-skodje),
-- the highest version a subscriber has applied. An older event arriving late changes nothing.
CREATE TABLE subscriber_versions (
    subscriber text NOT NULL,
    stream_id text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (subscriber, stream_id)
);

-- Messages a subscriber gave up on: not an event of the contracts, or still failing after its
-- attempts. The consumer moves on; a person reads the reason and replays the event if need be.
CREATE TABLE subscriber_dead_letters (
    subscriber text NOT NULL,
    stream_sequence bigint NOT NULL,
    subject text NOT NULL,
    event_id uuid,
    attempts integer NOT NULL,
    reason text NOT NULL,
    data text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber, stream_sequence)
);
