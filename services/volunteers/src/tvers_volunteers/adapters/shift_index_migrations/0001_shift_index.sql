-- Where the shifts lie in time, and which volunteers have ever joined which shift: the index the
-- use cases look shifts up by (decision 0021). The truth stays in the shift streams; a row here
-- only says "look at this shift". Rows are written before the event that makes them true, so
-- every shift and every place is found; a row whose event never came leads to a shift that
-- does not exist, or does not hold the volunteer, and is passed over.
CREATE TABLE shift_calendar (
    shift_id uuid PRIMARY KEY,
    tenant text NOT NULL,
    branch_id text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL
);

CREATE INDEX shift_calendar_by_end ON shift_calendar (tenant, ends_at);
CREATE INDEX shift_calendar_by_branch ON shift_calendar (tenant, branch_id, starts_at);

CREATE TABLE volunteer_shifts (
    volunteer_id uuid NOT NULL,
    shift_id uuid NOT NULL,
    PRIMARY KEY (volunteer_id, shift_id)
);
