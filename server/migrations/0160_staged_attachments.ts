import { sql, type Kysely } from 'kysely'

// Files uploaded before their ticket exists (POST /api/v1/attachments): a new ticket claims them
// by id (`attachmentIds`), which moves each row into `attachments` under the same id. Rows never
// claimed expire and the blob collector removes them (and then their bytes, when nothing else
// refers to them).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table staged_attachments (
      id uuid primary key default gen_random_uuid(),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint not null check (size > 0),
      filename text not null check (length(filename) between 1 and 255),
      -- Sniffed from the bytes; the client's claim is kept apart, for the record only.
      content_type text not null,
      declared_type text,
      -- Only the uploader may claim the file.
      uploaded_by uuid not null references users(id) on delete cascade,
      via_token_id uuid,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index staged_attachments_uploader_idx on staged_attachments (uploaded_by);
    create index staged_attachments_expires_idx on staged_attachments (expires_at);
    create index staged_attachments_sha256_idx on staged_attachments (sha256);
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
