-- Agenda items and their papers as rows of their own, not inside their
-- meeting's JSON record: an item is added, or a paper to it, one row at a
-- time, and an analyst can read the agenda without decoding JSON. BOOLEAN is
-- PostgreSQL's boolean and SQLite's 0/1 integer; the checks hold the
-- register's rules in both. Items already inside meetings' records are moved
-- here when the store opens (store/src/upgrade.rs).
CREATE TABLE agenda_items (
    council TEXT NOT NULL,
    meeting TEXT NOT NULL,
    position BIGINT NOT NULL,
    number TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 10),
    title TEXT NOT NULL,
    presenter TEXT,
    decision_required BOOLEAN NOT NULL,
    exempt BIGINT CHECK (exempt BETWEEN 1 AND 7),
    PRIMARY KEY (council, meeting, number),
    FOREIGN KEY (council, meeting) REFERENCES meetings (council, slug) ON DELETE CASCADE
);

CREATE TABLE papers (
    council TEXT NOT NULL,
    meeting TEXT NOT NULL,
    item TEXT NOT NULL,
    position BIGINT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    uploaded TEXT NOT NULL,
    PRIMARY KEY (council, meeting, slug),
    FOREIGN KEY (council, meeting, item) REFERENCES agenda_items (council, meeting, number) ON DELETE CASCADE
);

CREATE INDEX papers_by_sha256 ON papers (sha256);
