-- The audit trail's and the change feed's times as ISO 8601 UTC text beside
-- the seconds the code writes (`at`): columns SQLite makes from them when
-- they are read, as PostgreSQL's migration of the same number stores them.
ALTER TABLE audit_log ADD COLUMN at_utc TIMESTAMPTZ GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')) VIRTUAL;
ALTER TABLE changes ADD COLUMN at_utc TIMESTAMPTZ GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')) VIRTUAL;
