-- Up Migration
-- Durable timers (data/timerStore.ts): reminders, escalation, expiry, renewals and owner checks. A timer is claimed
-- by one instance at a time for a lease (`claimed_until`); one whose lease lapsed (its holder crashed) is claimable
-- again. `seq` keeps the order timers were planned in.
CREATE TABLE timers (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  kind text NOT NULL,
  grp text NOT NULL,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  claimed_until timestamptz
);
CREATE INDEX timers_group ON timers (grp);
CREATE INDEX timers_ready ON timers ((COALESCE(claimed_until, due_at)));
