-- Volunteers deactivated or erased whose future places are still to be given up (decision
-- 0021): written by the subscriber in its inbox transaction, worked off by a task outside any
-- transaction, and removed when done. A lease keeps two replicas off the same row; one that
-- dies mid-way leaves its lease to run out, and the work is done again (it finds nothing left).
CREATE TABLE volunteer_leavers (
    volunteer_id uuid PRIMARY KEY,
    tenant text NOT NULL,
    noted_at timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz NOT NULL DEFAULT '-infinity'
);
