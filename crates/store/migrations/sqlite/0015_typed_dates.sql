-- Dates and times declared as such, as PostgreSQL's migration of the same
-- number makes them: SQLite keeps them as ISO 8601 text (these declared
-- types give NUMERIC affinity, which leaves ISO dates as text). SQLite
-- cannot change a column's type, so each is made anew and copied.
-- A NOT NULL column gets a default only so that it can be added; every row
-- is given its value at once.
ALTER TABLE decisions ADD COLUMN notified_typed DATE;
UPDATE decisions SET notified_typed = notified;
ALTER TABLE decisions DROP COLUMN notified;
ALTER TABLE decisions RENAME COLUMN notified_typed TO notified;
ALTER TABLE ratifications ADD COLUMN requested_typed DATE NOT NULL DEFAULT '';
UPDATE ratifications SET requested_typed = requested;
ALTER TABLE ratifications DROP COLUMN requested;
ALTER TABLE ratifications RENAME COLUMN requested_typed TO requested;
ALTER TABLE ratifications ADD COLUMN answered_typed DATE;
UPDATE ratifications SET answered_typed = answered;
ALTER TABLE ratifications DROP COLUMN answered;
ALTER TABLE ratifications RENAME COLUMN answered_typed TO answered;
ALTER TABLE meetings ADD COLUMN agenda_published_typed DATE;
UPDATE meetings SET agenda_published_typed = agenda_published;
ALTER TABLE meetings DROP COLUMN agenda_published;
ALTER TABLE meetings RENAME COLUMN agenda_published_typed TO agenda_published;
ALTER TABLE meetings ADD COLUMN start_time_typed TIME;
UPDATE meetings SET start_time_typed = start_time;
ALTER TABLE meetings DROP COLUMN start_time;
ALTER TABLE meetings RENAME COLUMN start_time_typed TO start_time;
ALTER TABLE meetings ADD COLUMN planned_for_typed TIMESTAMP;
UPDATE meetings SET planned_for_typed = planned_for;
ALTER TABLE meetings DROP COLUMN planned_for;
ALTER TABLE meetings RENAME COLUMN planned_for_typed TO planned_for;
ALTER TABLE bodies ADD COLUMN cadence_first_typed TIMESTAMP;
UPDATE bodies SET cadence_first_typed = cadence_first;
ALTER TABLE bodies DROP COLUMN cadence_first;
ALTER TABLE bodies RENAME COLUMN cadence_first_typed TO cadence_first;
ALTER TABLE papers ADD COLUMN uploaded_typed TIMESTAMPTZ NOT NULL DEFAULT '';
UPDATE papers SET uploaded_typed = uploaded;
ALTER TABLE papers DROP COLUMN uploaded;
ALTER TABLE papers RENAME COLUMN uploaded_typed TO uploaded;
