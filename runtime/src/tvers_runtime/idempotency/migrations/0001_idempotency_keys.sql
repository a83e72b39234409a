-- Idempotency keys: per caller and key, the fingerprint of the request that first used it.
-- A repeat with the same fingerprint is a safe retry; another fingerprint is refused (409).
CREATE TABLE idempotency_keys (
    tenant text NOT NULL,
    principal text NOT NULL,
    idempotency_key text NOT NULL,
    fingerprint text NOT NULL,
    first_used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, principal, idempotency_key)
);
