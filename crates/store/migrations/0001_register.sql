-- The partnership register. One DDL for SQLite and PostgreSQL: only types
-- both understand (TEXT, BIGINT), lists and small records as JSON text, and
-- every row keyed by its council so that several councils live side by side.

CREATE TABLE councils (
    slug TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    area TEXT,
    description TEXT NOT NULL,
    brand_colour TEXT NOT NULL,
    attribution TEXT NOT NULL,
    sources TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE organisations (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    sector TEXT NOT NULL,
    parent TEXT,
    ended TEXT,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE people (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE posts (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    of_kind TEXT NOT NULL,
    of_slug TEXT NOT NULL,
    holder TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE bodies (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    statutory BIGINT NOT NULL,
    purpose TEXT,
    terms_of_reference TEXT NOT NULL,
    operation TEXT NOT NULL,
    cadence TEXT,
    chair TEXT,
    decisions TEXT NOT NULL,
    agenda_notice_days BIGINT,
    publication TEXT NOT NULL,
    secretariat TEXT,
    accountable_body TEXT,
    body_groups TEXT NOT NULL,
    established TEXT,
    ended TEXT,
    review_due TEXT,
    review TEXT,
    membership_notes TEXT NOT NULL,
    areas TEXT NOT NULL,
    sources TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE seats (
    council TEXT NOT NULL REFERENCES councils (slug),
    body TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    source_text TEXT NOT NULL,
    role TEXT NOT NULL,
    on_behalf_kind TEXT,
    on_behalf_slug TEXT,
    post TEXT,
    seat_groups TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (council, body, slug)
);

CREATE TABLE memberships (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    seat TEXT NOT NULL,
    person TEXT,
    start_date TEXT,
    end_date TEXT,
    substitutes TEXT NOT NULL,
    PRIMARY KEY (council, slug)
);

CREATE TABLE relations (
    council TEXT NOT NULL REFERENCES councils (slug),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    from_body TEXT NOT NULL,
    to_body TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (council, kind, from_body, to_body)
);

CREATE TABLE areas (
    council TEXT NOT NULL REFERENCES councils (slug),
    code TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT,
    valid_from TEXT,
    valid_to TEXT,
    members TEXT NOT NULL,
    boundary TEXT,
    note TEXT,
    PRIMARY KEY (council, code)
);

CREATE INDEX seats_by_party ON seats (council, on_behalf_slug);
CREATE INDEX relations_by_target ON relations (council, to_body);
CREATE INDEX areas_by_parent ON areas (council, parent);
