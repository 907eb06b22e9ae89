-- Dates and times in PostgreSQL's own types, so an analyst's tools read them
-- as dates (the SQLite migration of the same number declares the same types,
-- which SQLite keeps as ISO 8601 text). Dates known only to the month or year
-- (a meeting's or decision's day, a body's establishment) stay ISO text.
ALTER TABLE decisions ALTER COLUMN notified TYPE DATE USING CAST(notified AS DATE);
ALTER TABLE ratifications ALTER COLUMN requested TYPE DATE USING CAST(requested AS DATE);
ALTER TABLE ratifications ALTER COLUMN answered TYPE DATE USING CAST(answered AS DATE);
ALTER TABLE meetings ALTER COLUMN agenda_published TYPE DATE USING CAST(agenda_published AS DATE);
ALTER TABLE meetings ALTER COLUMN start_time TYPE TIME USING CAST(start_time AS TIME);
ALTER TABLE meetings ALTER COLUMN planned_for TYPE TIMESTAMP USING CAST(planned_for AS TIMESTAMP);
ALTER TABLE bodies ALTER COLUMN cadence_first TYPE TIMESTAMP USING CAST(cadence_first AS TIMESTAMP);
ALTER TABLE papers ALTER COLUMN uploaded TYPE TIMESTAMPTZ USING CAST(uploaded AS TIMESTAMPTZ);
