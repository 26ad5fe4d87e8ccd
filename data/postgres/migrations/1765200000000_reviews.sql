-- Up Migration
-- Access reviews (data/reviewStore.ts): one row per campaign (the document in jsonb, the columns the queries filter
-- or compare-and-set on beside it) and one imported access list per system.
CREATE TABLE review_campaigns (
  id text PRIMARY KEY,
  organisation_id text NOT NULL,
  system_id text NOT NULL,
  started_at timestamptz NOT NULL,
  version integer NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX review_campaigns_organisation ON review_campaigns (organisation_id);
CREATE INDEX review_campaigns_system ON review_campaigns (system_id);
-- One running campaign per system: two starts at once, on one instance or two, make one campaign.
CREATE UNIQUE INDEX review_campaigns_one_running ON review_campaigns (system_id) WHERE doc ->> 'status' <> 'done';
CREATE TABLE access_lists (
  system_id text PRIMARY KEY,
  doc jsonb NOT NULL
);
