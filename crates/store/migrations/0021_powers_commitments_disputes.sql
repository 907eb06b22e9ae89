-- What a body may decide, commitments with a due date, disagreements taken
-- up a body's escalation path, and baselines that ask for posts and bodies.
-- A decision names the power it was taken under.
CREATE TABLE powers (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    slug TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    held_by TEXT,
    PRIMARY KEY (council, body, slug),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE
);

ALTER TABLE decisions ADD COLUMN power TEXT;

CREATE TABLE escalation_stages (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    stage TEXT NOT NULL CHECK (length(stage) BETWEEN 1 AND 2000),
    PRIMARY KEY (council, body, position),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE
);

CREATE TABLE commitments (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    by_organisation TEXT,
    by_body TEXT,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    made TEXT,
    due TEXT NOT NULL,
    met_by TEXT,
    met TEXT,
    PRIMARY KEY (council, slug),
    CHECK ((by_organisation IS NULL) <> (by_body IS NULL))
);

CREATE TABLE commitment_sources (
    council TEXT NOT NULL,
    commitment TEXT NOT NULL,
    position BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (council, commitment, position),
    FOREIGN KEY (council, commitment) REFERENCES commitments (council, slug) ON DELETE CASCADE
);

CREATE TABLE disputes (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    raised DATE NOT NULL,
    outcome TEXT,
    resolved DATE,
    public BOOLEAN NOT NULL,
    PRIMARY KEY (council, slug),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE,
    CHECK (resolved IS NULL OR resolved >= raised)
);

CREATE TABLE dispute_parties (
    council TEXT NOT NULL,
    dispute TEXT NOT NULL,
    position BIGINT NOT NULL,
    organisation TEXT NOT NULL,
    PRIMARY KEY (council, dispute, position),
    FOREIGN KEY (council, dispute) REFERENCES disputes (council, slug) ON DELETE CASCADE
);

CREATE TABLE dispute_steps (
    council TEXT NOT NULL,
    dispute TEXT NOT NULL,
    position BIGINT NOT NULL,
    stage TEXT NOT NULL CHECK (length(stage) BETWEEN 1 AND 2000),
    taken_on DATE NOT NULL,
    note TEXT,
    PRIMARY KEY (council, dispute, position),
    FOREIGN KEY (council, dispute) REFERENCES disputes (council, slug) ON DELETE CASCADE
);

CREATE TABLE baseline_posts (
    council TEXT NOT NULL,
    baseline TEXT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    PRIMARY KEY (council, baseline, position),
    FOREIGN KEY (council, baseline) REFERENCES baselines (council, slug) ON DELETE CASCADE
);

CREATE TABLE baseline_bodies (
    council TEXT NOT NULL,
    baseline TEXT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (council, baseline, position),
    FOREIGN KEY (council, baseline) REFERENCES baselines (council, slug) ON DELETE CASCADE
);
