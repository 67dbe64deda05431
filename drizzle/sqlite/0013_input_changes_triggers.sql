-- input_changes (src/store/schema.ts): every write to a table a statement's
-- inputs are read from notes where it reaches, so corrections (§9.6) read an
-- issued period again only when a change its statement had not seen reaches
-- it. Triggers, not the application, so no write path is missed. Each place
-- is conservative: a change may be noted as reaching more periods than it
-- does (they are then read and compared by digest, as before), never fewer.
-- Rows go through the view input_change (partner, customer, from_ms,
-- from_period; both null: every period), whose trigger keeps one row per
-- customer and bucket with the earliest place and the customer's next seq
-- (SQLite has one writer at a time, so seqs follow commit order).
CREATE VIEW `input_change` AS SELECT `partner`, `customer`, `from_ms`, `from_period` FROM `input_changes`;
--> statement-breakpoint
CREATE TRIGGER `input_change_note` INSTEAD OF INSERT ON `input_change` WHEN NEW.customer IS NOT NULL BEGIN
  INSERT INTO input_changes (partner, customer, bucket, from_ms, from_period, seq)
  VALUES (
    NEW.partner,
    NEW.customer,
    CASE WHEN NEW.from_ms IS NOT NULL THEN 'm' || (NEW.from_ms / 3600000) ELSE 'p' || coalesce(NEW.from_period, '0000-00') END,
    NEW.from_ms,
    CASE WHEN NEW.from_ms IS NULL THEN coalesce(NEW.from_period, '0000-00') END,
    coalesce((SELECT max(seq) FROM input_changes WHERE partner = NEW.partner AND customer = NEW.customer), 0) + 1
  )
  ON CONFLICT (partner, customer, bucket) DO UPDATE SET from_ms = min(from_ms, excluded.from_ms), seq = excluded.seq;
END;
--> statement-breakpoint
-- the customer as the engine reads it (name, locale, tax rate, tax id): every period
CREATE TRIGGER `customers_input_update` AFTER UPDATE ON `customers`
WHEN OLD.name IS NOT NEW.name OR OLD.locale IS NOT NEW.locale OR OLD.tax_rate IS NOT NEW.tax_rate OR OLD.tax_id IS NOT NEW.tax_id OR OLD.id IS NOT NEW.id OR OLD.partner IS NOT NEW.partner BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.id, NULL, NULL);
  INSERT INTO input_change VALUES (NEW.partner, NEW.id, NULL, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_input_delete` AFTER DELETE ON `customers` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.id, NULL, NULL);
END;
--> statement-breakpoint
-- subscriptions and their quantities: every period reads all of the customer's
CREATE TRIGGER `subscriptions_input_insert` AFTER INSERT ON `subscriptions` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `subscriptions_input_update` AFTER UPDATE ON `subscriptions` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, NULL);
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `subscriptions_input_delete` AFTER DELETE ON `subscriptions` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `quantities_input_insert` AFTER INSERT ON `quantities` BEGIN
  INSERT INTO input_change SELECT partner, customer, NULL, NULL FROM subscriptions WHERE partner = NEW.partner AND id = NEW.subscription;
END;
--> statement-breakpoint
CREATE TRIGGER `quantities_input_update` AFTER UPDATE ON `quantities` BEGIN
  INSERT INTO input_change SELECT partner, customer, NULL, NULL FROM subscriptions WHERE partner = OLD.partner AND id = OLD.subscription;
  INSERT INTO input_change SELECT partner, customer, NULL, NULL FROM subscriptions WHERE partner = NEW.partner AND id = NEW.subscription;
END;
--> statement-breakpoint
CREATE TRIGGER `quantities_input_delete` AFTER DELETE ON `quantities` BEGIN
  INSERT INTO input_change SELECT partner, customer, NULL, NULL FROM subscriptions WHERE partner = OLD.partner AND id = OLD.subscription;
END;
--> statement-breakpoint
-- a request: from its arrival (later periods read it for service-level clocks and block ledgers), and from the
-- worklogs on it, of any customer (periodData adds a worklog's request to the worklog's period): one note per
-- worklog, as an aggregate grouped by customer would be read through worklogs_customer_time (every worklog of the partner)
CREATE TRIGGER `requests_input_insert` AFTER INSERT ON `requests` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NEW.received_ms, NULL);
  INSERT INTO input_change SELECT partner, customer, start_ms, NULL FROM worklogs WHERE partner = NEW.partner AND request = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `requests_input_update` AFTER UPDATE ON `requests` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, OLD.received_ms, NULL);
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NEW.received_ms, NULL);
  INSERT INTO input_change SELECT partner, customer, start_ms, NULL FROM worklogs WHERE partner = NEW.partner AND request IN (OLD.id, NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER `requests_input_delete` AFTER DELETE ON `requests` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, OLD.received_ms, NULL);
  INSERT INTO input_change SELECT partner, customer, start_ms, NULL FROM worklogs WHERE partner = OLD.partner AND request = OLD.id;
END;
--> statement-breakpoint
-- a request's events: from the request's arrival (its lives are read by the periods from there)
CREATE TRIGGER `request_events_input_insert` AFTER INSERT ON `request_events` BEGIN
  INSERT INTO input_change SELECT partner, customer, received_ms, NULL FROM requests WHERE partner = NEW.partner AND id = NEW.request;
END;
--> statement-breakpoint
CREATE TRIGGER `request_events_input_update` AFTER UPDATE ON `request_events` BEGIN
  INSERT INTO input_change SELECT partner, customer, received_ms, NULL FROM requests WHERE partner = OLD.partner AND id = OLD.request;
  INSERT INTO input_change SELECT partner, customer, received_ms, NULL FROM requests WHERE partner = NEW.partner AND id = NEW.request;
END;
--> statement-breakpoint
CREATE TRIGGER `request_events_input_delete` AFTER DELETE ON `request_events` BEGIN
  INSERT INTO input_change SELECT partner, customer, received_ms, NULL FROM requests WHERE partner = OLD.partner AND id = OLD.request;
END;
--> statement-breakpoint
CREATE TRIGGER `worklogs_input_insert` AFTER INSERT ON `worklogs` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NEW.start_ms, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `worklogs_input_update` AFTER UPDATE ON `worklogs` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, OLD.start_ms, NULL);
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NEW.start_ms, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `worklogs_input_delete` AFTER DELETE ON `worklogs` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, OLD.start_ms, NULL);
END;
--> statement-breakpoint
-- records placed by a period: their period on (a purchase: its date's month)
CREATE TRIGGER `spend_input_insert` AFTER INSERT ON `spend` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, NEW.period);
END;
--> statement-breakpoint
CREATE TRIGGER `spend_input_update` AFTER UPDATE ON `spend` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, OLD.period);
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, NEW.period);
END;
--> statement-breakpoint
CREATE TRIGGER `spend_input_delete` AFTER DELETE ON `spend` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, OLD.period);
END;
--> statement-breakpoint
CREATE TRIGGER `adjustments_input_insert` AFTER INSERT ON `adjustments` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, NEW.period);
END;
--> statement-breakpoint
CREATE TRIGGER `adjustments_input_update` AFTER UPDATE ON `adjustments` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, OLD.period);
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, NEW.period);
END;
--> statement-breakpoint
CREATE TRIGGER `adjustments_input_delete` AFTER DELETE ON `adjustments` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, OLD.period);
END;
--> statement-breakpoint
CREATE TRIGGER `purchases_input_insert` AFTER INSERT ON `purchases` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, substr(NEW.date, 1, 7));
END;
--> statement-breakpoint
CREATE TRIGGER `purchases_input_update` AFTER UPDATE ON `purchases` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, substr(OLD.date, 1, 7));
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, substr(NEW.date, 1, 7));
END;
--> statement-breakpoint
CREATE TRIGGER `purchases_input_delete` AFTER DELETE ON `purchases` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, substr(OLD.date, 1, 7));
END;
--> statement-breakpoint
-- a kept block ledger state at a period's end is read by the periods after it (a malformed period: every period)
CREATE TRIGGER `ledger_states_input_insert` AFTER INSERT ON `ledger_states` BEGIN
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, strftime('%Y-%m', NEW.period || '-01', '+1 month'));
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_states_input_update` AFTER UPDATE ON `ledger_states` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, strftime('%Y-%m', OLD.period || '-01', '+1 month'));
  INSERT INTO input_change VALUES (NEW.partner, NEW.customer, NULL, strftime('%Y-%m', NEW.period || '-01', '+1 month'));
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_states_input_delete` AFTER DELETE ON `ledger_states` BEGIN
  INSERT INTO input_change VALUES (OLD.partner, OLD.customer, NULL, strftime('%Y-%m', OLD.period || '-01', '+1 month'));
END;
