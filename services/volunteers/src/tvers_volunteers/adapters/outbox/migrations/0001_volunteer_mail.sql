-- Mail to volunteers (decision 0024): one row per mail an event calls for, written by the
-- volunteers-mail subscriber in the same transaction as the event's inbox row, then sent by the
-- service's postman outside any transaction and settled.
--
-- No address, name or text is kept here: the postman reads the address from the vault and
-- writes the letter just before sending, so an erased volunteer's mail can never be sent, and
-- erasure leaves nothing of them in this table.
--
-- mail_id is derived from the event and the volunteer (the mail's Message-ID). A row is due from
-- due_at; taking it moves due_at on by a lease, so a postman that dies while sending leaves it
-- to be taken again once the lease is over (a rare second copy, with the same Message-ID).
CREATE TABLE volunteer_mail (
    mail_id uuid PRIMARY KEY,
    event_id uuid NOT NULL,
    volunteer_id uuid NOT NULL,
    tenant text NOT NULL,
    notice text NOT NULL
        CHECK (notice IN ('reminder', 'cancelled_place', 'cancelled_waiting')),
    shift_id uuid NOT NULL,
    branch_id text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    due_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    last_failure text,
    outcome text
        CHECK (outcome IN ('sent', 'mail_off', 'too_late', 'erased', 'unknown', 'refused')),
    settled_at timestamptz,
    CONSTRAINT volunteer_mail_settled_with_outcome CHECK ((outcome IS NULL) = (settled_at IS NULL)),
    CONSTRAINT volunteer_mail_once_per_event_and_volunteer UNIQUE (event_id, volunteer_id)
);

CREATE INDEX volunteer_mail_due ON volunteer_mail (due_at) WHERE outcome IS NULL;
