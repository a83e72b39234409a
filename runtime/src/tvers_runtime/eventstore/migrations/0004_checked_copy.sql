-- Appends that name the version they expect are written by COPY alone, in one statement and one
-- round trip, as fast as COPY itself: the writer knows every event's place (expected + 1 ...),
-- and this statement-level trigger checks, for the rows the statement inserted, what
-- tvers_plan_append would have planned (0003):
--   - each stream's new versions are contiguous and follow the stream's previous event, which
--     exists (no gap: a request that expected a version the stream has not reached);
--   - that previous event is not of a transaction that began after this one (see 0002: appending
--     here would put these events before it in the log).
-- A violation raises, the statement (and its transaction) is rolled back, and the writer does
-- the batch request by request (tvers_append_one_by_one), which tells each request's outcome. A
-- place already taken is refused by the primary key the same way.
--
-- The trigger is also the one place that wakes the relay: it fires for every statement that
-- appends, whoever runs it, and a notification is sent at commit only.
CREATE FUNCTION tvers_check_appended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1
        FROM (
            SELECT a.stream_id, min(a.stream_version) AS first, max(a.stream_version) AS last,
                   count(*) AS n
            FROM appended a GROUP BY a.stream_id
        ) g
        LEFT JOIN LATERAL (
            SELECT e.tx_id FROM events e
            WHERE e.stream_id = g.stream_id AND e.stream_version = g.first - 1
        ) previous ON true
        WHERE g.last - g.first + 1 <> g.n
           OR (g.first > 1 AND (previous.tx_id IS NULL
                                OR previous.tx_id > pg_current_xact_id()))
    ) THEN
        RAISE EXCEPTION 'tvers: events out of place' USING ERRCODE = 'P0001';
    END IF;
    PERFORM pg_notify('tvers_events_appended', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_appended
    AFTER INSERT ON events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION tvers_check_appended();

-- The trigger notifies now; the planning function no longer needs to.
CREATE OR REPLACE FUNCTION tvers_plan_append(
    p_streams text[], p_expected integer[], p_counts integer[]
)
RETURNS TABLE (request integer, plan text, base integer)
LANGUAGE plpgsql AS $$
DECLARE
    me xid8 := pg_current_xact_id();
BEGIN
    RETURN QUERY
    WITH req AS (
        SELECT t.request::integer AS request, t.stream_id, t.expected,
               (sum(t.n) OVER (PARTITION BY t.stream_id ORDER BY t.request) - t.n)::integer
                   AS before_in_stream,
               row_number() OVER (PARTITION BY t.stream_id ORDER BY t.request) AS rank,
               bool_and(t.expected IS NULL) OVER (PARTITION BY t.stream_id ORDER BY t.request)
                   AS any_so_far
        FROM unnest(p_streams, p_expected, p_counts) WITH ORDINALITY
             AS t(stream_id, expected, n, request)
    ), head AS (
        SELECT req.*, coalesce(h.stream_version, 0) AS current_version, h.tx_id AS last_tx
        FROM req LEFT JOIN LATERAL (
            SELECT e.stream_version, e.tx_id FROM events e
            WHERE e.stream_id = req.stream_id
            ORDER BY e.stream_version DESC LIMIT 1
        ) h ON true
    )
    SELECT head.request,
           CASE WHEN head.rank > 1 AND NOT head.any_so_far THEN 'retry'
                WHEN head.rank = 1 AND head.expected IS NOT NULL
                     AND head.expected <> head.current_version THEN 'check'
                WHEN head.last_tx > me THEN 'retry'
                ELSE 'append' END,
           CASE WHEN head.rank = 1 THEN coalesce(head.expected, head.current_version)
                ELSE head.current_version + head.before_in_stream END
    FROM head ORDER BY head.request;
END;
$$;
