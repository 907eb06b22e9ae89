-- Strategies: their aims and numbered objectives (with the measures of
-- each), and their lists (principles, decisions, sources, example fields).
CREATE TABLE strategies (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    summary TEXT,
    dated TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'closed')),
    owner_organisation TEXT,
    owner_body TEXT,
    note TEXT,
    PRIMARY KEY (council, slug),
    CHECK (owner_organisation IS NULL OR owner_body IS NULL)
);

CREATE TABLE strategy_aims (
    council TEXT NOT NULL,
    strategy TEXT NOT NULL,
    number BIGINT NOT NULL CHECK (number >= 0),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 1000),
    text TEXT,
    PRIMARY KEY (council, strategy, number),
    FOREIGN KEY (council, strategy) REFERENCES strategies (council, slug) ON DELETE CASCADE
);

CREATE TABLE strategy_objectives (
    council TEXT NOT NULL,
    strategy TEXT NOT NULL,
    number BIGINT NOT NULL CHECK (number >= 0),
    aim BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 2000),
    text TEXT,
    by_year TEXT,
    status TEXT NOT NULL CHECK (status IN ('not-reported', 'not-started', 'underway', 'achieved', 'dropped')),
    note TEXT,
    PRIMARY KEY (council, strategy, number),
    FOREIGN KEY (council, strategy, aim) REFERENCES strategy_aims (council, strategy, number) ON DELETE CASCADE
);

CREATE TABLE strategy_objective_measures (
    council TEXT NOT NULL,
    strategy TEXT NOT NULL,
    objective BIGINT NOT NULL,
    position BIGINT NOT NULL,
    measure TEXT NOT NULL,
    PRIMARY KEY (council, strategy, objective, position),
    FOREIGN KEY (council, strategy, objective) REFERENCES strategy_objectives (council, strategy, number) ON DELETE CASCADE,
    FOREIGN KEY (council, measure) REFERENCES measures (council, slug) ON DELETE CASCADE
);

CREATE TABLE strategy_lists (
    council TEXT NOT NULL,
    strategy TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('principle', 'decision', 'source', 'example')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, strategy, list, position),
    FOREIGN KEY (council, strategy) REFERENCES strategies (council, slug) ON DELETE CASCADE
);

-- Action plans: a strategy's (a phase of it) or a programme's local action
-- plan for one place, led by that place's partnership; one a place.
CREATE TABLE action_plans (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    strategy TEXT,
    programme TEXT,
    area TEXT,
    led_by TEXT,
    period TEXT,
    status TEXT NOT NULL CHECK (status IN ('developing', 'agreed', 'ended')),
    text TEXT,
    note TEXT,
    PRIMARY KEY (council, slug),
    CHECK (strategy IS NOT NULL OR programme IS NOT NULL),
    FOREIGN KEY (council, strategy) REFERENCES strategies (council, slug) ON DELETE CASCADE,
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE,
    UNIQUE (council, programme, area)
);

CREATE TABLE plan_actions (
    council TEXT NOT NULL,
    plan TEXT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    owner TEXT,
    starts TEXT,
    due TEXT,
    status TEXT NOT NULL CHECK (status IN ('not-reported', 'not-started', 'underway', 'achieved', 'dropped')),
    initiative TEXT,
    PRIMARY KEY (council, plan, position),
    FOREIGN KEY (council, plan) REFERENCES action_plans (council, slug) ON DELETE CASCADE
);

-- An action's lists: the objectives it serves, the themes it comes under,
-- its steps.
CREATE TABLE plan_action_lists (
    council TEXT NOT NULL,
    plan TEXT NOT NULL,
    action BIGINT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('objective', 'theme', 'step')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, plan, action, list, position),
    FOREIGN KEY (council, plan, action) REFERENCES plan_actions (council, plan, position) ON DELETE CASCADE
);

CREATE TABLE plan_lists (
    council TEXT NOT NULL,
    plan TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('source', 'example')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, plan, list, position),
    FOREIGN KEY (council, plan) REFERENCES action_plans (council, slug) ON DELETE CASCADE
);
