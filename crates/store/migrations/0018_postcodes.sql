-- Each council's postcode lookup: a postcode (as the ONS writes it, "HP12
-- 4AA") and the ward it lies in, imported from the ONS Postcode Directory by
-- `placeworks import postcodes`. Kept apart from the register's tables, so
-- loading the dataset again keeps it; a ward no longer held is not found.
CREATE TABLE postcodes (
    council TEXT NOT NULL REFERENCES councils (slug),
    postcode TEXT NOT NULL CHECK (length(postcode) BETWEEN 6 AND 8),
    area TEXT NOT NULL,
    PRIMARY KEY (council, postcode)
);
