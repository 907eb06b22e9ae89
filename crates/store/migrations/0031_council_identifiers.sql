-- A council's registered 360Giving prefix and its organisation identifier
-- (org-id.guide), for its grants as open data.
ALTER TABLE councils ADD COLUMN giving_prefix TEXT;
ALTER TABLE councils ADD COLUMN org_id TEXT;
