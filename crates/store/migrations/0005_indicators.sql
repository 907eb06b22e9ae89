-- Indicators: what is measured, and each value by area and period. Numbers
-- are DOUBLE PRECISION, which both engines understand.
CREATE TABLE indicators (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    polarity TEXT NOT NULL,
    theme TEXT,
    source TEXT NOT NULL,
    licence TEXT NOT NULL,
    frequency TEXT,
    geography TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE indicator_values (
    council TEXT NOT NULL REFERENCES councils (slug),
    indicator TEXT NOT NULL,
    area TEXT NOT NULL,
    period TEXT NOT NULL,
    position BIGINT NOT NULL,
    value DOUBLE PRECISION,
    missing TEXT,
    numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION,
    PRIMARY KEY (council, indicator, area, period)
);

CREATE INDEX indicator_values_by_area ON indicator_values (council, area);
