-- Append many requests in one round trip and one commit (group commit).
--
-- Each request is (stream, expected version or NULL for "any", its events). The outcome of each
-- is one of:
--   appended           the events were stored at expected+1 .. expected+n
--   duplicate          the very same events (same ids, same places) were stored before: an
--                      idempotent repeat of an append that already succeeded; nothing is stored
--   wrong_version      the stream is not at the expected version; nothing is stored
--   duplicate_event_id an event id is already used elsewhere; nothing is stored
--   retry              not stored now, to keep the log in stream order (see below); the caller
--                      sends the request again, in a later transaction
-- No request's failure touches another's: there are no exceptions and no savepoints, and a
-- request that stored only part of its events (a concurrent writer won a race) removes them again.
--
-- Stream order in the log: the log is ordered by transaction id, and this transaction's id was
-- taken at its first insert, perhaps before another transaction that has since committed events
-- of the same stream. Appending after those would put a later version before them in the log,
-- so such a request is answered "retry" instead.
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
    r integer;
    first_index integer := 1;
    last_index integer;
    n integer;
    current_version integer;
    last_tx xid8;
    expected integer;
    inserted integer;
    matching integer;
    any_appended boolean := false;
BEGIN
    FOR r IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        n := p_counts[r];
        last_index := first_index + n - 1;
        current_version := 0;
        last_tx := NULL;
        SELECT e.stream_version, e.tx_id INTO current_version, last_tx
            FROM events e WHERE e.stream_id = p_streams[r]
            ORDER BY e.stream_version DESC LIMIT 1;
        current_version := coalesce(current_version, 0);
        expected := coalesce(p_expected[r], current_version);
        inserted := 0;

        IF current_version = expected AND last_tx IS NOT NULL
           AND last_tx > pg_current_xact_id() THEN
            request := r; outcome := 'retry'; stream_version := current_version;
            RETURN NEXT;
            first_index := last_index + 1;
            CONTINUE;
        END IF;

        IF current_version = expected THEN
            INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version,
                                tenant, occurred_at, correlation_id, causation_id, payload)
            SELECT p_streams[r], expected + t.i, t.id, t.type, t.schema_version,
                   t.tenant, t.occurred, t.correlation, t.causation, t.payload::json
            FROM unnest(p_ids[first_index:last_index], p_types[first_index:last_index],
                        p_schema_versions[first_index:last_index], p_tenants[first_index:last_index],
                        p_occurred[first_index:last_index], p_correlations[first_index:last_index],
                        p_causations[first_index:last_index], p_payloads[first_index:last_index])
                 WITH ORDINALITY
                 AS t(id, type, schema_version, tenant, occurred, correlation, causation, payload, i)
            ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS inserted = ROW_COUNT;
        END IF;

        IF inserted = n THEN
            any_appended := true;
            request := r; outcome := 'appended'; stream_version := expected + n;
            RETURN NEXT;
        ELSE
            IF inserted > 0 THEN
                -- A concurrent writer took some of the places: take back what this request stored.
                DELETE FROM events e
                WHERE e.stream_id = p_streams[r]
                  AND e.stream_version BETWEEN expected + 1 AND expected + n
                  AND e.tx_id = pg_current_xact_id()
                  AND e.event_id = ANY (p_ids[first_index:last_index]);
            END IF;
            SELECT count(*) INTO matching
            FROM unnest(p_ids[first_index:last_index]) WITH ORDINALITY AS t(id, i)
            JOIN events e ON e.event_id = t.id
                         AND e.stream_id = p_streams[r]
                         AND (p_expected[r] IS NULL OR e.stream_version = p_expected[r] + t.i);
            request := r;
            IF matching = n THEN
                outcome := 'duplicate';
                SELECT max(e.stream_version) INTO stream_version
                    FROM events e WHERE e.event_id = ANY (p_ids[first_index:last_index]);
            ELSIF EXISTS (SELECT 1 FROM events e
                          WHERE e.event_id = ANY (p_ids[first_index:last_index])) THEN
                outcome := 'duplicate_event_id'; stream_version := current_version;
            ELSE
                outcome := 'wrong_version';
                SELECT coalesce(max(e.stream_version), 0) INTO stream_version
                    FROM events e WHERE e.stream_id = p_streams[r];
            END IF;
            RETURN NEXT;
        END IF;
        first_index := last_index + 1;
    END LOOP;

    IF any_appended THEN
        PERFORM pg_notify('tvers_events_appended', '');
    END IF;
END;
$$;
