-- Programmes: what a council's decisions set going, with the levels it works
-- at (and the bodies at each), its themes and outcomes, the areas it targets,
-- the decisions behind it and its sources.
CREATE TABLE programmes (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    aim TEXT NOT NULL CHECK (length(aim) BETWEEN 1 AND 4000),
    launched TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'closed')),
    governed_by TEXT,
    roll_up TEXT NOT NULL CHECK (roll_up IN ('plain', 'weighted')),
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE programme_levels (
    council TEXT NOT NULL,
    programme TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    text TEXT,
    PRIMARY KEY (council, programme, position),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);

CREATE TABLE programme_level_bodies (
    council TEXT NOT NULL,
    programme TEXT NOT NULL,
    level BIGINT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (council, programme, level, position),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);

CREATE TABLE programme_themes (
    council TEXT NOT NULL,
    programme TEXT NOT NULL,
    position BIGINT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    text TEXT,
    PRIMARY KEY (council, programme, slug),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);

CREATE TABLE programme_outcomes (
    council TEXT NOT NULL,
    programme TEXT NOT NULL,
    position BIGINT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (council, programme, slug),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);

-- The programme's lists: the areas it targets, the decisions behind it, its
-- sources, and the fields whose values are the example's.
CREATE TABLE programme_lists (
    council TEXT NOT NULL,
    programme TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('area', 'decision', 'source', 'example')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, programme, list, position),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);
