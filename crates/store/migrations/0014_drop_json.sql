-- The JSON columns whose contents migration 0013 gave typed columns and rows
-- of their own, and that the store moved there on opening (upgrade.rs),
-- taken away: nothing reads or writes them any more.
ALTER TABLE decisions DROP COLUMN record;
ALTER TABLE meetings DROP COLUMN record;
ALTER TABLE memberships DROP COLUMN substitutes;
ALTER TABLE bodies DROP COLUMN terms_of_reference;
ALTER TABLE bodies DROP COLUMN operation;
ALTER TABLE bodies DROP COLUMN cadence;
ALTER TABLE bodies DROP COLUMN chair;
ALTER TABLE bodies DROP COLUMN decisions;
ALTER TABLE bodies DROP COLUMN publication;
ALTER TABLE bodies DROP COLUMN body_groups;
ALTER TABLE bodies DROP COLUMN membership_notes;
ALTER TABLE bodies DROP COLUMN areas;
ALTER TABLE bodies DROP COLUMN sources;
ALTER TABLE seats DROP COLUMN seat_groups;
ALTER TABLE councils DROP COLUMN attribution;
ALTER TABLE councils DROP COLUMN sources;
ALTER TABLE areas DROP COLUMN members;
ALTER TABLE baselines DROP COLUMN requires;
