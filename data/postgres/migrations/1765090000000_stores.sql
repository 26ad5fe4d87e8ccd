-- Up Migration
-- Forward-only: there is no Down Migration. Every table is Ansvar's own; documents are stored as the shapes of
-- data/model.ts and data/requestModel.ts (jsonb), with the columns the queries filter or lock on beside them.

-- The register: one revision for the whole register (the compare-and-set key), entities by kind and id. `seq` keeps
-- insertion order (an upsert keeps it); `revision` is the revision that last wrote the entity, so another instance
-- reads only what changed since the revision it holds.
CREATE TABLE register_meta (
  id smallint PRIMARY KEY CHECK (id = 1),
  revision bigint NOT NULL
);
INSERT INTO register_meta (id, revision) VALUES (1, 0);

CREATE TABLE register_entities (
  kind text NOT NULL,
  id text NOT NULL,
  seq bigserial NOT NULL,
  revision bigint NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX register_entities_by_revision ON register_entities (revision, seq);

CREATE TABLE register_pending_audit (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  event jsonb NOT NULL
);

-- Requests: `version` is the compare-and-set key (a conditional UPDATE).
CREATE TABLE requests (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  organisation_id text NOT NULL,
  status text NOT NULL,
  version integer NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX requests_by_status ON requests (status, organisation_id);

-- The transactional outbox: undelivered items only. An instance claims items with FOR UPDATE SKIP LOCKED for a
-- lease (`claimed_until`); an item whose lease ran out (its instance stopped) is claimed again by another.
CREATE TABLE outbox (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  request_id text NOT NULL,
  item jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  claimed_by text,
  claimed_until timestamptz
);
CREATE INDEX outbox_by_seq ON outbox (seq);

CREATE TABLE card_copies (
  request_id text NOT NULL,
  conversation_id text NOT NULL,
  activity_id text NOT NULL,
  recipient_id text NOT NULL,
  seq bigserial NOT NULL,
  PRIMARY KEY (request_id, conversation_id, activity_id)
);

CREATE TABLE request_pending_audit (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  event jsonb NOT NULL
);

CREATE TABLE inventory (
  id text PRIMARY KEY,
  organisation_id text NOT NULL,
  version integer NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX inventory_by_organisation ON inventory (organisation_id);

-- The audit log: one sha256 chain in `seq` order (data/auditLog.ts's hashing). `event_json` is the exact text the
-- hash covers (jsonb would reorder keys). Appends take a transaction-level advisory lock, so the chain stays one.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  id text NOT NULL UNIQUE,
  event_json text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);

CREATE TABLE conversation_references (
  person_key text PRIMARY KEY,
  reference jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- File-consent downloads waiting for the user's answer, which Teams may send to any instance.
CREATE TABLE pending_downloads (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  aad_object_id text NOT NULL,
  entry jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX pending_downloads_by_person ON pending_downloads (aad_object_id, created_at);

-- Invokes already answered, by activity id, so a retried invoke is answered and not executed again.
CREATE TABLE handled_activities (
  activity_id text PRIMARY KEY,
  response jsonb,
  expires_at timestamptz NOT NULL
);

-- Scheduled work: one row per job and due time; the instance that inserts it runs it.
CREATE TABLE schedule_runs (
  job text NOT NULL,
  due_at timestamptz NOT NULL,
  instance text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job, due_at)
);
