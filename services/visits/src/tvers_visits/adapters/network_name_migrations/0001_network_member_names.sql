-- The names (and e-mail addresses) of members of the school librarians' network who agreed to
-- have them kept: only here, never in an event. A row exists only with consent; withdrawing it
-- deletes the row (decision 0034).
CREATE TABLE IF NOT EXISTS network_member_names (
    tenant text NOT NULL,
    member_id uuid NOT NULL,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    email text CHECK (email IS NULL OR char_length(email) <= 254),
    consented_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, member_id)
);
