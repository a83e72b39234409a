-- The volunteer hosts checked in on shifts, learned from the volunteers service's
-- VolunteerCheckedIn and VolunteerCheckedOut events by the subscriber access-check-ins. Each of
-- those events lists everyone present on its shift, so a shift's rows are replaced as a whole by
-- the newest event of the shift (the subscriber's version guard drops older ones). A check-out
-- leaves the volunteer out. A row counts in the branch status only until the shift's end.
CREATE TABLE hosts_checked_in (
    tenant text NOT NULL,
    shift_id uuid NOT NULL,
    volunteer_id uuid NOT NULL,
    branch_id text NOT NULL,
    checked_in_at timestamptz NOT NULL,
    shift_ends_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, shift_id, volunteer_id)
);

CREATE INDEX hosts_checked_in_by_branch ON hosts_checked_in (tenant, branch_id, shift_ends_at);
