-- A programme's measures: what is counted, which way is better, how often,
-- by which status rule; their targets by period (a target the source gives
-- no date for has none), and the actuals reported with their commentary and,
-- for a Red, the corrective action and who owns it.
CREATE TABLE measures (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    programme TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    unit TEXT NOT NULL,
    polarity TEXT NOT NULL CHECK (polarity IN ('higher-is-better', 'higher-is-worse', 'neutral')),
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'annual')),
    source TEXT,
    indicator TEXT,
    baseline_period TEXT,
    baseline_value DOUBLE PRECISION,
    rule TEXT NOT NULL,
    owner TEXT,
    note TEXT,
    PRIMARY KEY (council, slug),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);

CREATE TABLE measure_targets (
    council TEXT NOT NULL,
    measure TEXT NOT NULL,
    position BIGINT NOT NULL,
    period TEXT,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (council, measure, position),
    FOREIGN KEY (council, measure) REFERENCES measures (council, slug) ON DELETE CASCADE
);

CREATE TABLE measure_actuals (
    council TEXT NOT NULL,
    measure TEXT NOT NULL,
    period TEXT NOT NULL,
    position BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    commentary TEXT,
    corrective_action TEXT,
    action_owner TEXT,
    PRIMARY KEY (council, measure, period),
    FOREIGN KEY (council, measure) REFERENCES measures (council, slug) ON DELETE CASCADE
);

-- A measure's lists: its themes and outcomes, its sources, and the fields
-- whose values are the example's.
CREATE TABLE measure_lists (
    council TEXT NOT NULL,
    measure TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('theme', 'outcome', 'source', 'example')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, measure, list, position),
    FOREIGN KEY (council, measure) REFERENCES measures (council, slug) ON DELETE CASCADE
);
