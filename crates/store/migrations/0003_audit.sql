-- The audit trail: who did what, when, with the values before and after.
-- Append-only: the code has no path that updates or deletes a row here.

CREATE TABLE audit_log (
    id TEXT NOT NULL PRIMARY KEY,
    council TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    body TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT
);

CREATE INDEX audit_by_body ON audit_log (council, body, at);
