-- The audit trail's and the change feed's times as TIMESTAMPTZ beside the
-- seconds the code writes (`at`): columns the database makes from them, so
-- an analyst reads "2026-12-03 18:29:02+00" and never a number.
ALTER TABLE audit_log ADD COLUMN at_utc TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(at)) STORED;
ALTER TABLE changes ADD COLUMN at_utc TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(at)) STORED;
