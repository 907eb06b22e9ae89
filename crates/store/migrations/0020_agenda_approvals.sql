-- Business flowing up the lines and the chair's agreement of it: an agenda
-- item may bring up another body's business (its minutes or report), and a
-- meeting keeps what its chair agreed (meeting dates, the agenda, the draft
-- minutes, invitations to non-members), who agreed it and on which day.
-- A body's standing items, and what its chair agrees, are rows of their own.
ALTER TABLE agenda_items ADD COLUMN from_body TEXT;

CREATE TABLE approvals (
    council TEXT NOT NULL,
    meeting TEXT NOT NULL,
    position BIGINT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('dates', 'agenda', 'minutes', 'invitations')),
    approved_by TEXT NOT NULL CHECK (length(approved_by) BETWEEN 1 AND 200),
    approved_on DATE NOT NULL,
    PRIMARY KEY (council, meeting, position),
    FOREIGN KEY (council, meeting) REFERENCES meetings (council, slug) ON DELETE CASCADE
);

CREATE TABLE standing_items (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 2000),
    PRIMARY KEY (council, body, position),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE
);

CREATE TABLE chair_agrees (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('dates', 'agenda', 'minutes', 'invitations')),
    PRIMARY KEY (council, body, position),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE
);
