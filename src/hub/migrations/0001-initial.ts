import type { HubMigration } from './migrate.ts';

/**
 * The hub's first schema. Every row carries `seq`, taken from one sequence when the row is written
 * or changed: a feed cursor is "the position after seq N", so a changed row moves after every
 * cursor already handed out (docs/feed-protocol.md). Writers take one advisory lock, so rows
 * commit in seq order and a reader never skips a row committed late with a smaller seq.
 * Child rows and logs carry their account's `owner_email`, copied at write time and rewritten when
 * an account changes hands, so a CSM's pull is one range of the (owner_email, seq) index.
 */
export const migration0001: HubMigration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE SEQUENCE hub_seq;

    CREATE TABLE hub_users (
      email      text PRIMARY KEY,
      role       text NOT NULL CHECK (role IN ('csm', 'lead', 'admin')),
      team       text NOT NULL DEFAULT 'default',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX hub_users_team ON hub_users (team);

    -- Only the SHA-256 of a token is kept; the token itself is shown once.
    CREATE TABLE hub_tokens (
      token_hash text PRIMARY KEY,
      email      text NOT NULL REFERENCES hub_users (email) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );

    CREATE TABLE accounts (
      account_id  text PRIMARY KEY,
      owner_email text,
      body        jsonb NOT NULL,
      seq         bigint NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX accounts_owner_seq ON accounts (owner_email, seq);
    CREATE INDEX accounts_seq ON accounts (seq);

    CREATE TABLE contacts (
      contact_id  text PRIMARY KEY,
      account_id  text NOT NULL,
      owner_email text,
      body        jsonb NOT NULL,
      seq         bigint NOT NULL
    );
    CREATE INDEX contacts_owner_seq ON contacts (owner_email, seq);
    CREATE INDEX contacts_seq ON contacts (seq);
    CREATE INDEX contacts_account ON contacts (account_id);

    -- The largest table (accounts × days × metrics): plain columns, no JSON.
    CREATE TABLE metrics (
      account_id  text NOT NULL,
      metric      text NOT NULL,
      contact_id  text NOT NULL DEFAULT '',
      date        date NOT NULL,
      value       double precision NOT NULL,
      owner_email text,
      seq         bigint NOT NULL,
      PRIMARY KEY (account_id, metric, contact_id, date)
    );
    CREATE INDEX metrics_owner_seq ON metrics (owner_email, seq);
    CREATE INDEX metrics_seq ON metrics (seq);

    CREATE TABLE events (
      event_id    text PRIMARY KEY,
      account_id  text NOT NULL,
      owner_email text,
      body        jsonb NOT NULL,
      seq         bigint NOT NULL
    );
    CREATE INDEX events_owner_seq ON events (owner_email, seq);
    CREATE INDEX events_seq ON events (seq);
    CREATE INDEX events_account ON events (account_id);

    -- The CSMs' logs, pushed by their apps. Append-only; an id seen twice is stored once.
    CREATE TABLE item_actions (
      action_id    text PRIMARY KEY,
      account_id   text NOT NULL,
      trigger_id   text NOT NULL,
      action       text NOT NULL CHECK (action IN ('start', 'snooze', 'dismiss', 'resolve', 'reopen')),
      at           text NOT NULL,
      snooze_until text,
      reason       text,
      actor_email  text NOT NULL,
      owner_email  text,
      seq          bigint NOT NULL,
      received_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX item_actions_owner_seq ON item_actions (owner_email, seq);
    CREATE INDEX item_actions_seq ON item_actions (seq);
    CREATE INDEX item_actions_item ON item_actions (account_id, trigger_id, at);

    -- Interventions keep the highest version seen; cohort 'control' rows are held-out firings
    -- (the uplift's comparison group), pushed by the same door.
    CREATE TABLE interventions (
      intervention_id text PRIMARY KEY,
      account_id      text NOT NULL,
      trigger_id      text NOT NULL,
      cohort          text NOT NULL DEFAULT 'treated' CHECK (cohort IN ('treated', 'control')),
      status          text NOT NULL,
      version         text NOT NULL,
      start_on        text,
      manual          boolean NOT NULL DEFAULT false,
      excluded        boolean NOT NULL DEFAULT false,
      body            jsonb NOT NULL,
      actor_email     text NOT NULL,
      owner_email     text,
      seq             bigint NOT NULL,
      received_at     timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX interventions_owner_seq ON interventions (owner_email, seq);
    CREATE INDEX interventions_seq ON interventions (seq);

    CREATE TABLE activities (
      activity_id text PRIMARY KEY,
      account_id  text NOT NULL,
      body        jsonb NOT NULL,
      actor_email text NOT NULL,
      owner_email text,
      seq         bigint NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX activities_owner_seq ON activities (owner_email, seq);
    CREATE INDEX activities_seq ON activities (seq);

    -- A risk item's merged status: its latest action by time, ties broken by the greater id.
    CREATE VIEW item_status AS
      SELECT DISTINCT ON (account_id, trigger_id)
             account_id, trigger_id, action, at, snooze_until, reason, actor_email, action_id
        FROM item_actions
       ORDER BY account_id, trigger_id, at DESC, action_id DESC;

    -- Rows a load refused, with the sentence that says why.
    CREATE TABLE quarantine (
      id       bigserial PRIMARY KEY,
      load_id  bigint NOT NULL,
      kind     text NOT NULL,
      file     text NOT NULL,
      line     integer,
      field    text,
      reason   text NOT NULL,
      raw      jsonb,
      at       timestamptz NOT NULL DEFAULT now()
    );

    -- Every write: who, what, when, how many.
    CREATE TABLE hub_audit (
      id          bigserial PRIMARY KEY,
      at          timestamptz NOT NULL DEFAULT now(),
      actor_email text NOT NULL,
      action      text NOT NULL,
      kind        text,
      count       integer NOT NULL DEFAULT 0,
      detail      text
    );
  `,
};
