-- A desk's session acts for the one innbyggartorg site its token names (decision 0044), as a
-- teacher's acts for one school.
ALTER TABLE page_sessions ADD COLUMN IF NOT EXISTS site_id text;
