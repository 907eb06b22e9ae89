-- When actuals were entered, as TIMESTAMPTZ beside the seconds the code writes.
ALTER TABLE measure_actuals ADD COLUMN entered_at_utc TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(entered_at)) STORED;
ALTER TABLE measure_actual_entries ADD COLUMN entered_at_utc TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(entered_at)) STORED;
