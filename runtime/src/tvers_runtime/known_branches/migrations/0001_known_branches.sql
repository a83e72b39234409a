-- The branches this service knows, learned from the access service's BranchRegistered events by
-- a subscriber (see tvers_runtime.known_branches). A service's own copy, in its own database.
CREATE TABLE known_branches (
    tenant text NOT NULL,
    branch_id text NOT NULL,
    name text NOT NULL,
    learned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, branch_id)
);
