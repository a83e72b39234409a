-- The staff's list of recruitment campaigns is read from the event store itself (no second table
-- to keep in step with it): a partial index keeps the read of a tenant's campaigns to the few
-- CampaignRecorded rows, however long the log grows.
CREATE INDEX IF NOT EXISTS events_campaign_recorded_idx
    ON events (tenant, global_position) WHERE event_type = 'CampaignRecorded';
