-- The rest of the register in typed columns and rows of its own, in place of
-- the JSON that earlier releases kept: a meeting's details and its minutes,
-- a membership's named substitutes, a body's cadence, chair, decision rules,
-- groups and lists, and a seat's groups. What earlier releases kept as JSON
-- is moved here when the store opens (store/src/upgrade.rs), and migration
-- 0014 then takes the JSON columns away. Dates and times are ISO 8601 text
-- (2027-03-09, 10:00:00, 2027-03-09T10:00:00 in London local time), as every
-- date in this schema: the engines share one set of SQL and one driver.

ALTER TABLE meetings ADD COLUMN start_time TEXT;
ALTER TABLE meetings ADD COLUMN group_slug TEXT;
ALTER TABLE meetings ADD COLUMN planned_for TEXT;
ALTER TABLE meetings ADD COLUMN note TEXT;
ALTER TABLE meetings ADD COLUMN agenda_published TEXT;
ALTER TABLE meetings ADD COLUMN chaired_by TEXT;
ALTER TABLE meetings ADD COLUMN minutes_approved_at TEXT;

-- A meeting's minutes, paragraph by paragraph (draft until approved).
CREATE TABLE minutes (
    council TEXT NOT NULL,
    meeting TEXT NOT NULL,
    position BIGINT NOT NULL,
    paragraph TEXT NOT NULL,
    PRIMARY KEY (council, meeting, position),
    FOREIGN KEY (council, meeting) REFERENCES meetings (council, slug) ON DELETE CASCADE
);

-- The people named in advance to stand in for a membership's holder.
CREATE TABLE substitutes (
    council TEXT NOT NULL,
    membership TEXT NOT NULL,
    position BIGINT NOT NULL,
    person TEXT NOT NULL,
    PRIMARY KEY (council, membership, position),
    FOREIGN KEY (council, membership) REFERENCES memberships (council, slug) ON DELETE CASCADE
);

-- How often a body meets (the source's words, an RFC 5545 rule, the first
-- meeting the rule counts from), how its chair is chosen, and how it decides.
ALTER TABLE bodies ADD COLUMN cadence_text TEXT;
ALTER TABLE bodies ADD COLUMN cadence_rule TEXT;
ALTER TABLE bodies ADD COLUMN cadence_first TEXT;
ALTER TABLE bodies ADD COLUMN chair_kind TEXT CHECK (chair_kind IN ('appointed', 'ex-officio', 'rotating', 'elected', 'not-stated'));
ALTER TABLE bodies ADD COLUMN chair_text TEXT;
ALTER TABLE bodies ADD COLUMN chair_post TEXT;
ALTER TABLE bodies ADD COLUMN chair_rotation_meetings BIGINT CHECK (chair_rotation_meetings > 0);
ALTER TABLE bodies ADD COLUMN chair_hosts BOOLEAN;
ALTER TABLE bodies ADD COLUMN by_consensus BOOLEAN;
ALTER TABLE bodies ADD COLUMN voting BOOLEAN;
ALTER TABLE bodies ADD COLUMN quorum BIGINT CHECK (quorum > 0);
ALTER TABLE bodies ADD COLUMN decision_notice_days BIGINT CHECK (decision_notice_days >= 0);
ALTER TABLE bodies ADD COLUMN ratification_by_constituents BOOLEAN;

-- The named parts of a body that meet separately.
CREATE TABLE body_groups (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (council, body, slug),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE
);

-- A body's lists, one value a row, in order: `terms-of-reference`,
-- `operation`, `publication` and `membership-note` (the source's words),
-- `decision-rule` (its decision rules in words), `chair-rotation` (the seats
-- whose holders take turns to chair), `area` (the areas it serves, by code)
-- and `source` (a source's key in council.toml).
CREATE TABLE body_lists (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('terms-of-reference', 'operation', 'publication', 'membership-note', 'decision-rule', 'chair-rotation', 'area', 'source')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, body, list, position),
    FOREIGN KEY (council, body) REFERENCES bodies (council, slug) ON DELETE CASCADE
);

-- The groups of its body a seat sits in.
CREATE TABLE seat_groups (
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    seat TEXT NOT NULL,
    position BIGINT NOT NULL,
    group_slug TEXT NOT NULL,
    PRIMARY KEY (council, body, seat, position),
    FOREIGN KEY (council, body, seat) REFERENCES seats (council, body, slug) ON DELETE CASCADE
);

-- The sources a council's register is taken from, and the attribution lines
-- its public data requires.
CREATE TABLE council_sources (
    council TEXT NOT NULL REFERENCES councils (slug),
    position BIGINT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    source_date TEXT,
    PRIMARY KEY (council, key)
);
CREATE TABLE attributions (
    council TEXT NOT NULL REFERENCES councils (slug),
    position BIGINT NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (council, position)
);

-- The areas a named set of areas is made of, by code.
CREATE TABLE area_members (
    council TEXT NOT NULL,
    area TEXT NOT NULL,
    position BIGINT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (council, area, position),
    FOREIGN KEY (council, area) REFERENCES areas (council, code) ON DELETE CASCADE
);

-- What a baseline asks of each area: at least so many service points of a kind.
CREATE TABLE baseline_requirements (
    council TEXT NOT NULL,
    baseline TEXT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    extended BOOLEAN NOT NULL,
    at_least BIGINT NOT NULL CHECK (at_least >= 0),
    PRIMARY KEY (council, baseline, position),
    FOREIGN KEY (council, baseline) REFERENCES baselines (council, slug) ON DELETE CASCADE
);
