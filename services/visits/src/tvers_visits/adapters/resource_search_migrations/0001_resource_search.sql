-- The resource bank's pages as their latest versions left them, for the list and the search
-- (decision 0033). Derived data: the truth is in the pages' streams (resource-page-<tenant>-
-- <slug>), and the subscriber visits-resource-search keeps this table in step with them. A row
-- is replaced only by a later version, so a late or repeated event never undoes a newer one; a
-- removed page keeps its row (removed, its text emptied) so that an older version arriving late
-- cannot bring it back.
CREATE TABLE resource_page_search (
    tenant text NOT NULL,
    slug text NOT NULL,
    version integer NOT NULL,
    removed boolean NOT NULL,
    category text NOT NULL,
    title text NOT NULL,
    -- What a reader reads: the text of the page's safe HTML, without markup.
    body text NOT NULL,
    author_role text NOT NULL,
    written_at timestamptz NOT NULL,
    -- The title weighs more than the text. Norwegian snowball stemming: biblioteket and
    -- bibliotek, elevane and elev are one lexeme.
    search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('norwegian', title), 'A')
        || setweight(to_tsvector('norwegian', body), 'B')
    ) STORED,
    PRIMARY KEY (tenant, slug)
);

CREATE INDEX resource_page_search_words ON resource_page_search USING gin (search_vector);

-- The catch-up at start reads the latest event of each page from the event store itself.
CREATE INDEX IF NOT EXISTS events_resource_page_idx ON events (stream_id, stream_version)
    WHERE event_type IN ('ResourcePageWritten', 'ResourcePageRemoved');
