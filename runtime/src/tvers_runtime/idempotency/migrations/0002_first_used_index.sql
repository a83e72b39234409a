-- Keys are forgotten once they are old (see tvers_runtime.idempotency.forgetting): found by age.
CREATE INDEX idempotency_keys_first_used ON idempotency_keys (first_used_at);
