-- Sessions of people signed in to a service's pages with a token they pasted once (decision
-- 0035). The table holds no credential in a form that can be used: the session's cookie is kept
-- only as its SHA-256 digest, and the token is not kept at all; a row says whom the session acts
-- as (what the token said) and until when.
CREATE TABLE page_sessions (
    session_digest bytea PRIMARY KEY,
    tenant text NOT NULL,
    subject text NOT NULL,
    role text NOT NULL,
    school_id text,
    form_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX page_sessions_by_expiry ON page_sessions (expires_at);
