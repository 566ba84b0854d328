import { sql, type Kysely } from 'kysely'

// Email channel: mailboxes, inbound messages (idempotent, raw .eml in blob storage), the outbox of
// sent mail, addresses that bounce, admin template overrides, per-sender rate counters and the
// reply-token secrets. Reads tickets' tables only through foreign keys.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mailboxes (
      id uuid primary key default gen_random_uuid(),
      address text not null check (address = lower(address) and address ~ '^[^@\\s]+@[^@\\s]+$'),
      name text not null,
      inbound text not null check (inbound in ('smtp','imap')),
      imap_host text,
      imap_port int check (imap_port between 1 and 65535),
      imap_secure boolean not null default true,
      imap_user text,
      -- Stored so the poller can log in; never logged, never returned by the API.
      imap_password text,
      imap_folder text not null default 'INBOX',
      processed_action text not null default 'move' check (processed_action in ('move','flag')),
      processed_folder text not null default 'Procesados',
      -- What new tickets from this mailbox get (null: the category's / admin's defaults).
      team_id uuid references teams(id) on delete set null,
      category_id uuid references categories(id) on delete set null,
      type_id uuid references ticket_types(id) on delete set null,
      priority text check (priority in ('urgent','high','normal','low')),
      -- Reply-To carries the reply token as soporte+{token}@dominio.
      plus_addressing boolean not null default false,
      active boolean not null default true,
      -- IMAP resume point and health, for the admin screen.
      imap_uid_validity bigint,
      imap_last_uid bigint,
      last_checked_at timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (inbound = 'smtp' or (imap_host is not null and imap_user is not null))
    );
    create unique index mailboxes_address_key on mailboxes (address);

    create table inbound_messages (
      id uuid primary key default gen_random_uuid(),
      mailbox_id uuid not null references mailboxes(id),
      source text not null check (source in ('smtp','imap')),
      -- The Message-ID, or '<sha256:…>' of the raw bytes when the message has none: the idempotency key.
      message_key text not null,
      message_id text,
      imap_uid_validity bigint,
      imap_uid bigint,
      raw_sha256 text not null check (raw_sha256 ~ '^[0-9a-f]{64}$'),
      raw_size int not null,
      envelope_from text,
      envelope_to text[] not null default '{}',
      from_address text,
      from_name text,
      to_addresses jsonb not null default '[]',
      cc_addresses jsonb not null default '[]',
      subject text not null default '',
      sent_at timestamptz,
      in_reply_to text,
      "references" text[] not null default '{}',
      -- Loop classification (human, auto_reply, bounce …) and why.
      kind text,
      reasons text[] not null default '{}',
      status text not null check (status in ('processing','ticket_created','comment_added','follow_up_created','note_added',
        'ignored','bounce','denied','rate_limited','duplicate','failed')),
      matched_by text,
      ticket_id uuid references tickets(id),
      comment_id uuid references comments(id),
      -- False for accepted automated mail: it may create a ticket but never triggers a notification.
      notify boolean not null default true,
      error text,
      attempts int not null default 1,
      received_at timestamptz not null default now()
    );
    create unique index inbound_messages_key on inbound_messages (mailbox_id, message_key);
    create unique index inbound_messages_uid_key on inbound_messages (mailbox_id, imap_uid_validity, imap_uid) where imap_uid is not null;
    create index inbound_messages_message_id_idx on inbound_messages (message_id) where message_id is not null;
    create index inbound_messages_ticket_idx on inbound_messages (ticket_id, received_at) where ticket_id is not null;
    create index inbound_messages_received_idx on inbound_messages (received_at desc, id);
    create index inbound_messages_status_idx on inbound_messages (status, received_at desc);

    -- Files of an inbound message as stored ticket attachments (for cid: images and "show original").
    create table inbound_message_attachments (
      inbound_message_id uuid not null references inbound_messages(id),
      attachment_id uuid not null references attachments(id),
      content_id text,
      primary key (inbound_message_id, attachment_id)
    );
    create index inbound_message_attachments_cid_idx on inbound_message_attachments (inbound_message_id, lower(content_id));

    -- The outbox: every email we send, queued in the transaction that decided it, then delivered by a job.
    create table outbound_messages (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid references tickets(id),
      mailbox_id uuid references mailboxes(id) on delete set null,
      event_id bigint,
      template text not null,
      locale text not null default 'es',
      recipient_id uuid references users(id),
      to_address text not null,
      from_address text not null,
      reply_to text,
      subject text not null,
      body_text text not null,
      body_html text,
      message_id text not null,
      in_reply_to text,
      "references" text[] not null default '{}',
      headers jsonb not null default '{}',
      reply_token text,
      status text not null default 'queued' check (status in ('queued','sent','failed','suppressed')),
      attempts int not null default 0,
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create unique index outbound_messages_message_id_key on outbound_messages (message_id);
    create unique index outbound_messages_event_key on outbound_messages (event_id, template, to_address) where event_id is not null;
    create index outbound_messages_ticket_idx on outbound_messages (ticket_id, created_at) where ticket_id is not null;
    create index outbound_messages_status_idx on outbound_messages (status, created_at desc, id);
    create index outbound_messages_created_idx on outbound_messages (created_at desc, id);
    create index outbound_messages_token_idx on outbound_messages (reply_token) where reply_token is not null;

    -- Addresses that bounced: notifications to them are suppressed until an admin clears them.
    create table email_failing_addresses (
      address text primary key check (address = lower(address)),
      status text,
      diagnostic text,
      permanent boolean not null default true,
      bounce_count int not null default 1,
      first_failed_at timestamptz not null default now(),
      last_failed_at timestamptz not null default now(),
      last_inbound_message_id uuid references inbound_messages(id)
    );

    create table email_template_overrides (
      event text not null,
      locale text not null check (locale in ('es','en')),
      subject text,
      body text,
      updated_by uuid references users(id) on delete set null,
      updated_at timestamptz not null default now(),
      primary key (event, locale)
    );

    -- Messages per sender per hour, for the inbound rate limit.
    create table email_sender_counters (
      address text not null,
      window_start timestamptz not null,
      count int not null default 0,
      primary key (address, window_start)
    );

    -- HMAC secrets of reply tokens and action links; the newest signs, all verify (rotation).
    create table email_secrets (
      id serial primary key,
      secret text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
