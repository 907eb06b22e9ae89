-- Service points and the baselines areas are held to.
CREATE TABLE services (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    extended BIGINT NOT NULL,
    area TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE baselines (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    area_kind TEXT NOT NULL,
    requires TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT,
    PRIMARY KEY (council, slug)
);
