-- Decision records: the summary, minutes and resolutions as JSON text.
CREATE TABLE decisions (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    record TEXT NOT NULL,
    exempt BIGINT,
    PRIMARY KEY (council, slug)
);
