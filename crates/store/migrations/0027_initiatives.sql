-- A programme's initiatives: a tree (an initiative may be part of another),
-- each with its status, dates, lead, reported progress and weight; its
-- milestones; and its lists (themes, outcomes, areas served, partners, the
-- decisions and meetings behind it, sources, the fields that are the
-- example's). A measure may measure one initiative.
CREATE TABLE initiatives (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    programme TEXT NOT NULL,
    part_of TEXT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    summary TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'underway', 'completed', 'paused', 'stopped')),
    starts TEXT,
    ends TEXT,
    lead_organisation TEXT,
    lead_body TEXT,
    progress DOUBLE PRECISION CHECK (progress IS NULL OR (progress >= 0 AND progress <= 100)),
    weight DOUBLE PRECISION NOT NULL CHECK (weight >= 0),
    note TEXT,
    PRIMARY KEY (council, slug),
    CHECK (lead_organisation IS NULL OR lead_body IS NULL),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);

CREATE TABLE initiative_milestones (
    council TEXT NOT NULL,
    initiative TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    due TEXT,
    achieved TEXT,
    PRIMARY KEY (council, initiative, position),
    FOREIGN KEY (council, initiative) REFERENCES initiatives (council, slug) ON DELETE CASCADE
);

CREATE TABLE initiative_lists (
    council TEXT NOT NULL,
    initiative TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('theme', 'outcome', 'area', 'partner', 'decision', 'meeting', 'source', 'example')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, initiative, list, position),
    FOREIGN KEY (council, initiative) REFERENCES initiatives (council, slug) ON DELETE CASCADE
);

ALTER TABLE measures ADD COLUMN initiative TEXT;
