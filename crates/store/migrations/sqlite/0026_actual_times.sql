-- When actuals were entered, as ISO 8601 UTC text beside the seconds the
-- code writes, as PostgreSQL's migration of the same number stores them.
ALTER TABLE measure_actuals ADD COLUMN entered_at_utc TIMESTAMPTZ GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%SZ', entered_at, 'unixepoch')) VIRTUAL;
ALTER TABLE measure_actual_entries ADD COLUMN entered_at_utc TIMESTAMPTZ GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%SZ', entered_at, 'unixepoch')) VIRTUAL;
