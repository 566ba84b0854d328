import { sql, type Kysely } from 'kysely'
import { imapPasswordContext, isSealed, loadCredentialKeys, sealCredential } from '../src/modules/email/mailboxes/credential-box'

// Email: stored credentials encrypted at rest (AES-256-GCM, see mailboxes/credential-box.ts).
// The generated key lives here when ATIENDE_SECRET_KEY is not set; IMAP passwords stored in plain
// text before this migration are sealed now.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table email_credential_keys (
      id smallint primary key default 1 check (id = 1),
      -- 32 random bytes, base64. Used only when ATIENDE_SECRET_KEY is unset (or to open values sealed before it was set).
      key text not null,
      created_at timestamptz not null default now()
    );
    comment on column mailboxes.imap_password is 'Sealed: enc:v1:<key fingerprint>:<iv>:<tag>:<ciphertext> (AES-256-GCM). Never logged, never returned by the API.';
  `.execute(db)
  const rows = (await sql<{ id: string; imap_password: string }>`select id, imap_password from mailboxes where imap_password is not null`.execute(db)).rows
  const plain = rows.filter((r) => !isSealed(r.imap_password))
  if (plain.length === 0) return
  const keys = await loadCredentialKeys(db)
  for (const r of plain) {
    await sql`update mailboxes set imap_password = ${sealCredential(keys, r.imap_password, imapPasswordContext(r.id))} where id = ${r.id}`.execute(db)
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
