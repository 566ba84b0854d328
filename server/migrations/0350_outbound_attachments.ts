import { sql, type Kysely } from 'kysely'

// Email: the files of a public reply that travel inside its notification (MIME attachments),
// chosen when the mail is queued (public files of that comment, within the per-mail cap).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outbound_messages add column attachment_ids uuid[] not null default '{}';
    comment on column outbound_messages.attachment_ids is 'Public files of the reply attached to this mail; re-checked (same ticket, still public) when it is sent.';
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
