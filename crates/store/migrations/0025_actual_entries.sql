-- Who entered each actual in Placeworks and when (seconds since 1970, UTC;
-- nothing for an actual that came with a dataset), and every value ever
-- entered for a measure's period, oldest first: an actual's history.
ALTER TABLE measure_actuals ADD COLUMN entered_by TEXT;
ALTER TABLE measure_actuals ADD COLUMN entered_at BIGINT;

CREATE TABLE measure_actual_entries (
    council TEXT NOT NULL,
    measure TEXT NOT NULL,
    period TEXT NOT NULL,
    -- The council's version the entry was written at: its order.
    version BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    commentary TEXT,
    corrective_action TEXT,
    action_owner TEXT,
    entered_by TEXT,
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (council, measure, period, version),
    FOREIGN KEY (council, measure) REFERENCES measures (council, slug) ON DELETE CASCADE
);
