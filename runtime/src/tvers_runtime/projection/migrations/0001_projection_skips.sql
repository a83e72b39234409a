-- Messages an operator chose to skip after they were dead-lettered. Kept outside the read models'
-- schemas so that a rebuild honours the decision too.
CREATE TABLE projection_skips (
    projection text NOT NULL,
    source text NOT NULL,
    sequence bigint NOT NULL,
    event_id uuid,
    skipped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, source, sequence)
);
