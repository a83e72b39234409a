-- Group commit, planned in one statement and written by COPY.
--
-- 0002's function did the work of a batch request by request, two or three statements each, and
-- took the events as arrays, which the client encodes slowly (asyncpg spends ~1 us per array
-- element). Now a batch is one transaction of:
--
-- 1. tvers_plan_append: one statement looks up the head of each request's stream (one index
--    probe each) and plans each request: 'append' at a base version, 'retry' (see 0002: another
--    transaction that began later has already committed events of the stream), or 'check' (the
--    stream is not at the version the request expects: a repeat, ids used elsewhere, or a
--    stream that has moved on). Several requests of one stream in a batch: ANY_VERSION requests
--    follow one another; a request with an expected version after the first of its stream is
--    planned 'retry'. It notifies the relay when anything is to be appended (the notification
--    is sent at commit, and not at all if the transaction rolls back).
-- 2. The client COPYs the events of the requests planned 'append' into events.
-- 3. The requests planned 'check' go through 0002's function, now tvers_append_one_by_one,
--    which tells what they are.
--
-- A unique violation during the COPY (an idempotent repeat of an ANY_VERSION append, or another
-- writer that took the same place meanwhile) rolls the transaction back, and the batch is done
-- by tvers_append_one_by_one alone, in a transaction of its own.
ALTER FUNCTION tvers_append(text[], integer[], integer[], uuid[], text[], integer[], text[],
                            timestamptz[], uuid[], uuid[], text[])
    RENAME TO tvers_append_one_by_one;

CREATE FUNCTION tvers_plan_append(p_streams text[], p_expected integer[], p_counts integer[])
RETURNS TABLE (request integer, plan text, base integer)
LANGUAGE plpgsql AS $$
DECLARE
    me xid8 := pg_current_xact_id();
    r_requests integer[];
    r_plans text[];
    r_bases integer[];
BEGIN
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
    ), planned AS (
        SELECT head.request,
               CASE WHEN head.rank > 1 AND NOT head.any_so_far THEN 'retry'
                    WHEN head.rank = 1 AND head.expected IS NOT NULL
                         AND head.expected <> head.current_version THEN 'check'
                    WHEN head.last_tx > me THEN 'retry'
                    ELSE 'append' END AS plan,
               CASE WHEN head.rank = 1 THEN coalesce(head.expected, head.current_version)
                    ELSE head.current_version + head.before_in_stream END AS base
        FROM head
    )
    SELECT array_agg(p.request ORDER BY p.request), array_agg(p.plan ORDER BY p.request),
           array_agg(p.base ORDER BY p.request)
    INTO r_requests, r_plans, r_bases
    FROM planned p;
    IF 'append' = ANY (r_plans) THEN
        -- Sent at commit; not at all if the transaction rolls back.
        PERFORM pg_notify('tvers_events_appended', '');
    END IF;
    RETURN QUERY SELECT * FROM unnest(r_requests, r_plans, r_bases);
END;
$$;
