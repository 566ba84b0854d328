import { sql } from 'kysely'
import type { Executor, Trx } from '../../../platform/db/database'
import type { FailedRecipient } from './bounce-recipients'

/**
 * Records the recipients a bounce reports as failed. Permanent failures (5.x.x but 5.2.2, or no
 * code: bounce-recipients.ts, isPermanentStatus) suppress further notifications to the address
 * and set users.email_failing; temporary ones are only recorded. The mark lasts until a person's
 * mail comes from the address (the inbound claim, file-inbound.ts, removes it) or an admin
 * removes it.
 */
export async function markFailingAddresses(trx: Trx, failed: readonly FailedRecipient[], inboundId: string, now: Date) {
  for (const f of failed) {
    const address = f.address.trim().toLowerCase()
    if (!address.includes('@')) continue
    await sql`insert into email_failing_addresses (address, status, diagnostic, permanent, first_failed_at, last_failed_at, last_inbound_message_id)
      values (${address}, ${f.status ?? null}, ${f.diagnostic?.slice(0, 1000) ?? null}, ${f.permanent}, ${now}, ${now}, ${inboundId})
      on conflict (address) do update set status = excluded.status, diagnostic = excluded.diagnostic,
        permanent = email_failing_addresses.permanent or excluded.permanent, bounce_count = email_failing_addresses.bounce_count + 1,
        last_failed_at = excluded.last_failed_at, last_inbound_message_id = excluded.last_inbound_message_id`.execute(trx)
    if (f.permanent) await sql`update users set email_failing = true where lower(email) = ${address} and not email_failing`.execute(trx)
  }
}

/** Addresses among `addresses` that bounced permanently (notifications to them are suppressed). */
export async function failingAmong(db: Executor, addresses: readonly string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set()
  const rows = (await sql<{ address: string }>`select address from email_failing_addresses
    where permanent and address = any(${addresses.map((a) => a.toLowerCase())}::text[])`.execute(db)).rows
  return new Set(rows.map((r) => r.address))
}
