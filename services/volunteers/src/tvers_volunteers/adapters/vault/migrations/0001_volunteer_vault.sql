-- The vault of volunteers' personal data (decision 0020): one row per person, their data
-- encrypted under a data key of their own, and that key wrapped by a master key that is never
-- stored here (its id is). Erasure sets the wrapped key and the ciphertext to NULL and keeps the
-- row, so that the id is never filled again.
--
-- A row is kept before the volunteer's registration event is stored, and marked registered after;
-- a row left unregistered (a refused or interrupted registration) is removed by the service.
-- request_fingerprint (the registration request's, while unregistered) tells a repeat of the
-- same request from another request under the same idempotency key.
CREATE TABLE volunteer_vault (
    volunteer_id uuid PRIMARY KEY,
    master_key_id text,
    wrapped_key bytea,
    ciphertext bytea,
    request_fingerprint text,
    registered boolean NOT NULL DEFAULT false,
    kept_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz,
    CONSTRAINT volunteer_vault_sealed_until_erased CHECK (
        (
            erased_at IS NULL
            AND master_key_id IS NOT NULL AND wrapped_key IS NOT NULL AND ciphertext IS NOT NULL
        ) OR (
            erased_at IS NOT NULL AND registered
            AND master_key_id IS NULL AND wrapped_key IS NULL AND ciphertext IS NULL
            AND request_fingerprint IS NULL
        )
    )
);

CREATE INDEX volunteer_vault_unregistered ON volunteer_vault (kept_at) WHERE NOT registered;
