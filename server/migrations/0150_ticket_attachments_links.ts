import { sql, type Kysely } from 'kysely'

// Ticket core part B: attachments (blobs addressed by SHA-256), links between tickets, and the
// record of tickets imported from another help desk.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attachments (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      -- Null until a comment claims it (or for files attached to the ticket itself).
      comment_id uuid references comments(id),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint not null check (size > 0),
      filename text not null check (length(filename) between 1 and 255),
      -- Sniffed from the bytes; the client's claim is kept apart, for the record only.
      content_type text not null,
      declared_type text,
      -- Hidden from customers: staff uploads until a public comment claims them, files of internal notes.
      internal boolean not null default false,
      uploaded_by uuid references users(id),
      via_token_id uuid,
      created_at timestamptz not null default now()
    );
    create index attachments_ticket_idx on attachments (ticket_id, created_at, id);
    create index attachments_comment_idx on attachments (comment_id) where comment_id is not null;
    create index attachments_sha256_idx on attachments (sha256);

    -- source -> target: parent_of (source is the parent), duplicate_of (source duplicates target),
    -- related (no direction). At most one link per pair of tickets.
    create table ticket_links (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('parent_of','related','duplicate_of')),
      source_id uuid not null references tickets(id),
      target_id uuid not null references tickets(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (source_id <> target_id)
    );
    create unique index ticket_links_pair_key on ticket_links (least(source_id, target_id), greatest(source_id, target_id));
    create index ticket_links_source_idx on ticket_links (source_id, kind);
    create index ticket_links_target_idx on ticket_links (target_id, kind);
    -- A child has one parent; a duplicate has one original.
    create unique index ticket_links_one_parent_key on ticket_links (target_id) where kind = 'parent_of';
    create unique index ticket_links_one_original_key on ticket_links (source_id) where kind = 'duplicate_of';

    -- Tickets brought in from another help desk: re-sending a batch does not import a row twice.
    create table ticket_import_refs (
      source text not null,
      external_id text not null,
      ticket_id uuid not null references tickets(id),
      imported_by uuid references users(id),
      imported_at timestamptz not null default now(),
      primary key (source, external_id)
    );
    create index ticket_import_refs_ticket_idx on ticket_import_refs (ticket_id);
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
