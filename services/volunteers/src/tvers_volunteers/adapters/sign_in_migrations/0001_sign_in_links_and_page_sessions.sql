-- The volunteer self-service page's sign-in (decision 0027). Neither table holds a credential
-- in a form that can be used: a link's code and a session's cookie are kept only as their
-- SHA-256 digests, so a copy of the database signs no one in.

-- Sign-in links staff create for a volunteer: single use (the row is deleted when the link is
-- used), short-lived, and only the newest of a volunteer's links is kept.
CREATE TABLE volunteer_sign_in_links (
    code_digest bytea PRIMARY KEY,
    tenant text NOT NULL,
    volunteer_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX volunteer_sign_in_links_by_volunteer ON volunteer_sign_in_links (volunteer_id);
CREATE INDEX volunteer_sign_in_links_by_expiry ON volunteer_sign_in_links (expires_at);

-- A signed-in browser: bound to one volunteer, with the token its forms must carry.
CREATE TABLE volunteer_page_sessions (
    session_digest bytea PRIMARY KEY,
    tenant text NOT NULL,
    volunteer_id uuid NOT NULL,
    form_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX volunteer_page_sessions_by_volunteer ON volunteer_page_sessions (volunteer_id);
CREATE INDEX volunteer_page_sessions_by_expiry ON volunteer_page_sessions (expires_at);
