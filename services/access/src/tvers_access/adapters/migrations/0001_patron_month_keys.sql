-- The keys of the monthly patron references that door events carry, one per branch and month
-- (Europe/Oslo). When a key outlives the branch's retention it is destroyed: the key is set to
-- NULL and the row stays, so that it is never made again and old door events can no longer be
-- linked to a card, while every count stays.
CREATE TABLE patron_month_keys (
    branch_id text NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    key bytea CHECK (key IS NULL OR length(key) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    destroyed_at timestamptz,
    PRIMARY KEY (branch_id, month),
    CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
);
