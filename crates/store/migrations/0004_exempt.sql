-- Confidential records: the paragraph of Schedule 12A to the Local
-- Government Act 1972 under which a record is exempt, or NULL when public.
ALTER TABLE people ADD COLUMN exempt BIGINT;
ALTER TABLE bodies ADD COLUMN exempt BIGINT;
ALTER TABLE seats ADD COLUMN exempt BIGINT;
ALTER TABLE memberships ADD COLUMN exempt BIGINT;
ALTER TABLE relations ADD COLUMN exempt BIGINT;
