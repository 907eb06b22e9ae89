-- Councillors: a post may represent a ward or electoral division (its GSS
-- code), and its holder's party and term are kept beside the holder.
ALTER TABLE posts ADD COLUMN area TEXT;
ALTER TABLE posts ADD COLUMN party TEXT;
ALTER TABLE posts ADD COLUMN holder_start TEXT;
ALTER TABLE posts ADD COLUMN holder_end TEXT;
