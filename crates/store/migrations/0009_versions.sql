-- Every write to a council bumps its version, inside the transaction that
-- makes it: the version orders the council's writes, and tells each server's
-- read model whether it is behind. A load records the version it was made at.
ALTER TABLE councils ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE councils ADD COLUMN loaded_version BIGINT NOT NULL DEFAULT 0;

-- The council version each audit entry was written at (none before this).
ALTER TABLE audit_log ADD COLUMN council_version BIGINT;

-- One row per write, in order: the change feed servers follow.
CREATE TABLE changes (
    council TEXT NOT NULL,
    version BIGINT NOT NULL,
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (council, version)
);

-- The council version at which an edited record last changed; a record with
-- no row here is as it was loaded (councils.loaded_version). An edit form
-- carries the version it was opened at, and saving over a newer one is refused.
CREATE TABLE record_versions (
    council TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (council, record_kind, record_id)
);

-- Servers using this database, each seen every few seconds: a restore
-- refuses while one is, and /readyz proves a write goes through.
CREATE TABLE servers (
    id TEXT NOT NULL PRIMARY KEY,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);
