-- Where each record comes from. Bodies, decisions and commitments keep their
-- sources in their own tables; organisations, people, posts, areas and
-- meetings keep theirs here. example_values names, for any record, the
-- fields whose values are the example's: supplied where no source gives them,
-- and labelled as such wherever they are shown.
CREATE TABLE record_sources (
    council TEXT NOT NULL,
    record_kind TEXT NOT NULL CHECK (record_kind IN ('organisation', 'person', 'post', 'area', 'meeting')),
    record TEXT NOT NULL,
    position BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (council, record_kind, record, position)
);

CREATE TABLE example_values (
    council TEXT NOT NULL,
    record_kind TEXT NOT NULL
        CHECK (record_kind IN ('organisation', 'person', 'post', 'area', 'meeting', 'body', 'decision', 'commitment')),
    record TEXT NOT NULL,
    position BIGINT NOT NULL,
    field TEXT NOT NULL CHECK (length(field) BETWEEN 1 AND 80),
    PRIMARY KEY (council, record_kind, record, field)
);
