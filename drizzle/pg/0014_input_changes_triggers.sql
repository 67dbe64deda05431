-- input_changes (src/store/pg-schema.ts; the SQLite twin and its reasons:
-- drizzle/sqlite/0013_input_changes_triggers.sql). Statement-level triggers
-- with transition tables: a batch of records notes each customer and bucket
-- once. `seq` is the writing transaction's id: a statement keeps the snapshot
-- of the read before its inputs (statements.inputs_rev), and a change is
-- unseen by it when its transaction is not visible in that snapshot. A row
-- keeps the latest writer: the row lock orders writers, so an earlier writer
-- of the row committed before a later one did.
CREATE OR REPLACE FUNCTION tierbook_input_note(p text[], c text[], f bigint[], fp text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO input_changes AS x (partner, customer, bucket, from_ms, from_period, seq)
  SELECT partner, customer, bucket, min(from_ms), min(from_period), pg_current_xact_id()::text::bigint
  FROM (
    SELECT partner, customer, from_ms,
      CASE WHEN from_ms IS NULL THEN coalesce(from_period, '0000-00') END AS from_period,
      CASE WHEN from_ms IS NOT NULL THEN 'm' || div(from_ms, 3600000)::text ELSE 'p' || coalesce(from_period, '0000-00') END AS bucket
    FROM unnest(p, c, f, fp) AS u(partner, customer, from_ms, from_period)
    WHERE customer IS NOT NULL
  ) s
  GROUP BY partner, customer, bucket
  ORDER BY partner, customer, bucket
  ON CONFLICT (partner, customer, bucket) DO UPDATE SET from_ms = least(x.from_ms, excluded.from_ms), seq = excluded.seq
$$;
--> statement-breakpoint
-- the month after a period (YYYY-MM), null when malformed (then: every period)
CREATE OR REPLACE FUNCTION tierbook_next_period(period text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
    THEN to_char(make_date(substr(period, 1, 4)::int, substr(period, 6, 2)::int, 1) + interval '1 month', 'YYYY-MM') END
$$;
--> statement-breakpoint
-- a table whose rows carry partner and customer: TG_ARGV gives the row's place (SQL over the row: from_ms, from_period)
CREATE OR REPLACE FUNCTION tierbook_input_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  q text := format('SELECT tierbook_input_note(array_agg(partner), array_agg(customer), array_agg(%s), array_agg(%s)) FROM ', TG_ARGV[0], TG_ARGV[1]);
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN EXECUTE q || 'new_rows'; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN EXECUTE q || 'old_rows'; END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tierbook_customers_input() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM tierbook_input_note(array_agg(partner), array_agg(id), NULL, NULL) FROM (
      SELECT o.partner, o.id FROM old_rows o LEFT JOIN new_rows n ON n.partner = o.partner AND n.id = o.id
        WHERE n.id IS NULL OR (o.name, o.locale, o.tax_rate, o.tax_id) IS DISTINCT FROM (n.name, n.locale, n.tax_rate, n.tax_id)
      UNION SELECT n.partner, n.id FROM new_rows n LEFT JOIN old_rows o ON o.partner = n.partner AND o.id = n.id
        WHERE o.id IS NULL OR (o.name, o.locale, o.tax_rate, o.tax_id) IS DISTINCT FROM (n.name, n.locale, n.tax_rate, n.tax_id)) s;
  ELSE
    PERFORM tierbook_input_note(array_agg(partner), array_agg(id), NULL, NULL) FROM old_rows;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER customers_input_update AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_customers_input();
--> statement-breakpoint
CREATE TRIGGER customers_input_delete AFTER DELETE ON customers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_customers_input();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tierbook_quantities_input() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tierbook_input_note(array_agg(s.partner), array_agg(s.customer), NULL, NULL) FROM new_rows r JOIN subscriptions s ON s.partner = r.partner AND s.id = r.subscription;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM tierbook_input_note(array_agg(s.partner), array_agg(s.customer), NULL, NULL) FROM old_rows r JOIN subscriptions s ON s.partner = r.partner AND s.id = r.subscription;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tierbook_requests_input() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tierbook_input_note(array_agg(partner), array_agg(customer), array_agg(f), NULL) FROM (
      SELECT partner, customer, received_ms AS f FROM new_rows
      UNION ALL SELECT w.partner, w.customer, w.start_ms FROM worklogs w JOIN new_rows r ON w.partner = r.partner AND w.request = r.id) s;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM tierbook_input_note(array_agg(partner), array_agg(customer), array_agg(f), NULL) FROM (
      SELECT partner, customer, received_ms AS f FROM old_rows
      UNION ALL SELECT w.partner, w.customer, w.start_ms FROM worklogs w JOIN old_rows r ON w.partner = r.partner AND w.request = r.id) s;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tierbook_request_events_input() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tierbook_input_note(array_agg(q.partner), array_agg(q.customer), array_agg(q.received_ms), NULL) FROM new_rows e JOIN requests q ON q.partner = e.partner AND q.id = e.request;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM tierbook_input_note(array_agg(q.partner), array_agg(q.customer), array_agg(q.received_ms), NULL) FROM old_rows e JOIN requests q ON q.partner = e.partner AND q.id = e.request;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscriptions_input_insert AFTER INSERT ON subscriptions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'NULL::text');
--> statement-breakpoint
CREATE TRIGGER subscriptions_input_update AFTER UPDATE ON subscriptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'NULL::text');
--> statement-breakpoint
CREATE TRIGGER subscriptions_input_delete AFTER DELETE ON subscriptions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'NULL::text');
--> statement-breakpoint
CREATE TRIGGER quantities_input_insert AFTER INSERT ON quantities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_quantities_input();
--> statement-breakpoint
CREATE TRIGGER quantities_input_update AFTER UPDATE ON quantities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_quantities_input();
--> statement-breakpoint
CREATE TRIGGER quantities_input_delete AFTER DELETE ON quantities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_quantities_input();
--> statement-breakpoint
CREATE TRIGGER requests_input_insert AFTER INSERT ON requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_requests_input();
--> statement-breakpoint
CREATE TRIGGER requests_input_update AFTER UPDATE ON requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_requests_input();
--> statement-breakpoint
CREATE TRIGGER requests_input_delete AFTER DELETE ON requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_requests_input();
--> statement-breakpoint
CREATE TRIGGER request_events_input_insert AFTER INSERT ON request_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_request_events_input();
--> statement-breakpoint
CREATE TRIGGER request_events_input_update AFTER UPDATE ON request_events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_request_events_input();
--> statement-breakpoint
CREATE TRIGGER request_events_input_delete AFTER DELETE ON request_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_request_events_input();
--> statement-breakpoint
CREATE TRIGGER worklogs_input_insert AFTER INSERT ON worklogs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('start_ms', 'NULL::text');
--> statement-breakpoint
CREATE TRIGGER worklogs_input_update AFTER UPDATE ON worklogs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('start_ms', 'NULL::text');
--> statement-breakpoint
CREATE TRIGGER worklogs_input_delete AFTER DELETE ON worklogs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('start_ms', 'NULL::text');
--> statement-breakpoint
CREATE TRIGGER spend_input_insert AFTER INSERT ON spend REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'period');
--> statement-breakpoint
CREATE TRIGGER spend_input_update AFTER UPDATE ON spend REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'period');
--> statement-breakpoint
CREATE TRIGGER spend_input_delete AFTER DELETE ON spend REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'period');
--> statement-breakpoint
CREATE TRIGGER adjustments_input_insert AFTER INSERT ON adjustments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'period');
--> statement-breakpoint
CREATE TRIGGER adjustments_input_update AFTER UPDATE ON adjustments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'period');
--> statement-breakpoint
CREATE TRIGGER adjustments_input_delete AFTER DELETE ON adjustments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'period');
--> statement-breakpoint
CREATE TRIGGER purchases_input_insert AFTER INSERT ON purchases REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'substr(date, 1, 7)');
--> statement-breakpoint
CREATE TRIGGER purchases_input_update AFTER UPDATE ON purchases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'substr(date, 1, 7)');
--> statement-breakpoint
CREATE TRIGGER purchases_input_delete AFTER DELETE ON purchases REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'substr(date, 1, 7)');
--> statement-breakpoint
CREATE TRIGGER ledger_states_input_insert AFTER INSERT ON ledger_states REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'tierbook_next_period(period)');
--> statement-breakpoint
CREATE TRIGGER ledger_states_input_update AFTER UPDATE ON ledger_states REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'tierbook_next_period(period)');
--> statement-breakpoint
CREATE TRIGGER ledger_states_input_delete AFTER DELETE ON ledger_states REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_changed('NULL::bigint', 'tierbook_next_period(period)');
