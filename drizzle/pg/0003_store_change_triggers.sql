-- Writes made past tierbook (psql, another tool) bump the change stamp too, so
-- every server's cache notices them at its next request. tierbook's own write
-- transactions bump it once, last, right before COMMIT (application_name
-- 'tierbook' skips the trigger): the counter's row is then locked only for the
-- commit itself. The triggers are (re)attached to every table of the schema at
-- each start (src/store/pg.ts), so a table added later is covered too.
CREATE OR REPLACE FUNCTION tierbook_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('application_name', true) IS DISTINCT FROM 'tierbook' THEN
    UPDATE store_changes SET n = n + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END
$$;
