-- The lists of deposits (staff's, and a school's own) are read from the event store itself, with
-- no second table to keep in step with it: a partial index keeps the read of a tenant's deposits
-- to the DepositOrdered rows, however long the log grows (decision 0034).
CREATE INDEX IF NOT EXISTS events_deposit_ordered_idx
    ON events (tenant, global_position) WHERE event_type = 'DepositOrdered';
