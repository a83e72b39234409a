-- The closing scheduler lists the registered branches from the event store itself (no second
-- table to keep in step with it): a partial index keeps that read to the few BranchRegistered
-- rows, however long the log grows.
CREATE INDEX IF NOT EXISTS events_branch_registered_idx
    ON events (global_position) WHERE event_type = 'BranchRegistered';
