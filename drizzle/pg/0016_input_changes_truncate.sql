-- input_changes (0014_input_changes_triggers.sql) on TRUNCATE, which fires no
-- row or transition-table trigger: a truncated input table may change every
-- period of every customer, so each customer of the store is noted as changed
-- everywhere ('0000-00'). SQLite has no TRUNCATE: its DELETE without WHERE
-- deletes row by row when the table has triggers, and they note each row.
CREATE OR REPLACE FUNCTION tierbook_input_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tierbook_input_note(array_agg(partner), array_agg(id), NULL, NULL) FROM customers;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscriptions_input_truncate AFTER TRUNCATE ON subscriptions FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER quantities_input_truncate AFTER TRUNCATE ON quantities FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER requests_input_truncate AFTER TRUNCATE ON requests FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER request_events_input_truncate AFTER TRUNCATE ON request_events FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER worklogs_input_truncate AFTER TRUNCATE ON worklogs FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER spend_input_truncate AFTER TRUNCATE ON spend FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER adjustments_input_truncate AFTER TRUNCATE ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER purchases_input_truncate AFTER TRUNCATE ON purchases FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
--> statement-breakpoint
CREATE TRIGGER ledger_states_input_truncate AFTER TRUNCATE ON ledger_states FOR EACH STATEMENT EXECUTE FUNCTION tierbook_input_truncated();
