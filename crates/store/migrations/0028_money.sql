-- Money: funds (a grant, a delegated budget, a budget line) with the
-- allocations, bids and spend made from them; partners' matched
-- contributions; and agreements under which a parish delivers services
-- for a contribution. Amounts are pounds.
CREATE TABLE funds (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'delegated-budget', 'budget')),
    source TEXT,
    held_by_kind TEXT CHECK (held_by_kind IS NULL OR held_by_kind IN ('organisation', 'body')),
    held_by TEXT,
    programme TEXT,
    amount DOUBLE PRECISION NOT NULL CHECK (amount > 0),
    period TEXT,
    each_year BOOLEAN NOT NULL,
    conditions TEXT,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE fund_allocations (
    council TEXT NOT NULL,
    fund TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL CHECK (amount > 0),
    initiative TEXT,
    area TEXT,
    decision TEXT,
    date TEXT,
    PRIMARY KEY (council, fund, slug),
    FOREIGN KEY (council, fund) REFERENCES funds (council, slug) ON DELETE CASCADE
);

CREATE TABLE fund_bids (
    council TEXT NOT NULL,
    fund TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    by_kind TEXT CHECK (by_kind IS NULL OR by_kind IN ('organisation', 'body')),
    by_slug TEXT,
    amount DOUBLE PRECISION NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'assessed', 'approved', 'rejected', 'withdrawn')),
    submitted TEXT,
    decision TEXT,
    area TEXT,
    initiative TEXT,
    PRIMARY KEY (council, fund, slug),
    FOREIGN KEY (council, fund) REFERENCES funds (council, slug) ON DELETE CASCADE
);

CREATE TABLE fund_spend (
    council TEXT NOT NULL,
    fund TEXT NOT NULL,
    position BIGINT NOT NULL,
    period TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL CHECK (amount >= 0),
    allocation TEXT,
    PRIMARY KEY (council, fund, position),
    FOREIGN KEY (council, fund) REFERENCES funds (council, slug) ON DELETE CASCADE
);

CREATE TABLE contributions (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    partner TEXT NOT NULL,
    name TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL CHECK (amount > 0),
    amount_words TEXT,
    each_year BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'pledged')),
    fund TEXT,
    initiative TEXT,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE agreements (
    council TEXT NOT NULL,
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    parish TEXT NOT NULL,
    with_organisation TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'in-discussion', 'agreed', 'ended')),
    contribution DOUBLE PRECISION CHECK (contribution IS NULL OR contribution >= 0),
    starts TEXT,
    ends TEXT,
    note TEXT,
    PRIMARY KEY (council, slug)
);

CREATE TABLE agreement_services (
    council TEXT NOT NULL,
    agreement TEXT NOT NULL,
    position BIGINT NOT NULL,
    service TEXT NOT NULL CHECK (length(service) BETWEEN 1 AND 300),
    quantity TEXT,
    PRIMARY KEY (council, agreement, position),
    FOREIGN KEY (council, agreement) REFERENCES agreements (council, slug) ON DELETE CASCADE
);

-- The money records' lists: areas, sources and the fields that are the example's.
CREATE TABLE money_lists (
    council TEXT NOT NULL,
    record_kind TEXT NOT NULL CHECK (record_kind IN ('fund', 'contribution', 'agreement')),
    record TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('area', 'source', 'example')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, record_kind, record, list, position)
);
