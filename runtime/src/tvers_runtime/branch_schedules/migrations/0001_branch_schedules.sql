-- This service's own view of each branch's opening hours, learned from the access service's
-- schedule events by the subscriber volunteers-schedules (decision 0025): per branch the weekly
-- periods (WeeklyScheduleSet), per branch and date the exception (ScheduleExceptionSet; a
-- ScheduleExceptionRemoved deletes its row). Periods are kept as the events carry them (JSON).
-- Every branch with hours has a weekly row (an empty week until its WeeklyScheduleSet comes),
-- so a branch whose last exception was removed is still gone over, and its proposals withdrawn.
-- The subscriber's version guard, per branch week and per branch date, keeps a late older event
-- from overwriting a newer one.
CREATE TABLE branch_weekly_hours (
    tenant text NOT NULL,
    branch_id text NOT NULL,
    periods jsonb NOT NULL,
    PRIMARY KEY (tenant, branch_id)
);

CREATE TABLE branch_exception_hours (
    tenant text NOT NULL,
    branch_id text NOT NULL,
    day date NOT NULL,
    periods jsonb NOT NULL,
    label text,
    PRIMARY KEY (tenant, branch_id, day)
);
