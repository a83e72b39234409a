-- Group commit, set-based: the requests of a batch are planned and inserted by one statement.
--
-- The outcomes are those of 0002 (appended, duplicate, wrong_version, duplicate_event_id, retry),
-- and so is the rule that keeps each stream in version order in the log. What changes is the
-- work per request: 0002 ran two or three statements for each request of the batch, one after
-- the other; a batch of 32 single events cost ~100 statements. Here:
--
-- 1. One statement looks up each request's stream head (one index probe each), decides each
--    request's plan, and inserts the events of every request planned to append, all at once,
--    without ON CONFLICT (whose per-row arbiter checks cost more than the insert).
--    - Requests of one stream within the batch: ANY_VERSION requests follow one another; a
--      request with an expected version after the first of its stream is sent again ('retry').
-- 2. Only when that insert meets a unique violation (an idempotent repeat, an event id used
--    elsewhere, or another writer that took the same place) is the batch done request by request,
--    as 0002 does (the fast path's subtransaction is rolled back first).
-- 3. Requests whose stream is not where they expect are told why, request by request (rare).
-- 0002's function, request by request, stays for batches that meet a unique violation.
ALTER FUNCTION tvers_append(text[], integer[], integer[], uuid[], text[], integer[], text[],
                            timestamptz[], uuid[], uuid[], text[])
    RENAME TO tvers_append_one_by_one;

CREATE FUNCTION tvers_append(
    p_streams text[],
    p_expected integer[],
    p_counts integer[],
    p_ids uuid[],
    p_types text[],
    p_schema_versions integer[],
    p_tenants text[],
    p_occurred timestamptz[],
    p_correlations uuid[],
    p_causations uuid[],
    p_payloads text[]
) RETURNS TABLE (request integer, outcome text, stream_version integer)
LANGUAGE plpgsql AS $$
DECLARE
    me xid8 := pg_current_xact_id();
    r_requests integer[];
    r_plans text[];
    r_bases integer[];
    r_firsts integer[];
    i integer;
    r integer;
    n integer;
    matching integer;
    any_appended boolean := false;
BEGIN
    BEGIN
        WITH req AS (
            SELECT t.request::integer AS request, t.stream_id, t.expected, t.n,
                   (sum(t.n) OVER (ORDER BY t.request) - t.n)::integer AS first,
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
        ), plan AS (
            SELECT head.request, head.stream_id, head.n, head.first,
                   CASE WHEN head.rank = 1 THEN coalesce(head.expected, head.current_version)
                        ELSE head.current_version + head.before_in_stream END AS base,
                   CASE WHEN head.rank > 1 AND NOT head.any_so_far THEN 'retry'
                        WHEN head.rank = 1 AND head.expected IS NOT NULL
                             AND head.expected <> head.current_version THEN 'check'
                        WHEN head.last_tx > me THEN 'retry'
                        ELSE 'append' END AS plan
            FROM head
        ), appended AS (
            INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version,
                                tenant, occurred_at, correlation_id, causation_id, payload)
            SELECT p.stream_id, p.base + k, p_ids[p.first + k], p_types[p.first + k],
                   p_schema_versions[p.first + k], p_tenants[p.first + k],
                   p_occurred[p.first + k], p_correlations[p.first + k],
                   p_causations[p.first + k], p_payloads[p.first + k]::json
            FROM plan p CROSS JOIN LATERAL generate_series(1, p.n) AS k
            WHERE p.plan = 'append'
        )
        SELECT array_agg(p.request ORDER BY p.request), array_agg(p.plan ORDER BY p.request),
               array_agg(p.base ORDER BY p.request), array_agg(p.first ORDER BY p.request)
        INTO r_requests, r_plans, r_bases, r_firsts
        FROM plan p;
    EXCEPTION WHEN unique_violation THEN
        -- Someone else's events sit where this batch wanted to put some: request by request.
        RETURN QUERY SELECT * FROM tvers_append_one_by_one(
            p_streams, p_expected, p_counts, p_ids, p_types, p_schema_versions, p_tenants,
            p_occurred, p_correlations, p_causations, p_payloads);
        RETURN;
    END;

    FOR i IN 1 .. coalesce(array_length(r_requests, 1), 0) LOOP
        r := r_requests[i];
        request := r;
        IF r_plans[i] = 'append' THEN
            any_appended := true;
            outcome := 'appended'; stream_version := r_bases[i] + p_counts[r];
        ELSIF r_plans[i] = 'retry' THEN
            outcome := 'retry'; stream_version := r_bases[i];
        ELSE
            -- Not where it expects: a repeat of an append that succeeded, ids used elsewhere,
            -- or a stream that has moved on.
            n := p_counts[r];
            SELECT count(*) INTO matching
            FROM unnest(p_ids[r_firsts[i] + 1 : r_firsts[i] + n]) WITH ORDINALITY AS t(id, k)
            JOIN events e ON e.event_id = t.id AND e.stream_id = p_streams[r]
                         AND e.stream_version = p_expected[r] + t.k;
            IF matching = n THEN
                outcome := 'duplicate'; stream_version := p_expected[r] + n;
            ELSIF EXISTS (SELECT 1 FROM events e
                          WHERE e.event_id = ANY (p_ids[r_firsts[i] + 1 : r_firsts[i] + n])) THEN
                outcome := 'duplicate_event_id'; stream_version := r_bases[i];
            ELSE
                outcome := 'wrong_version';
                SELECT coalesce(max(e.stream_version), 0) INTO stream_version
                    FROM events e WHERE e.stream_id = p_streams[r];
            END IF;
        END IF;
        RETURN NEXT;
    END LOOP;

    IF any_appended THEN
        PERFORM pg_notify('tvers_events_appended', '');
    END IF;
END;
$$;
