import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import type { Executor } from '../../../platform/db/database'
import type { Priority } from '../../../../../common/src/tickets/tickets.types'
import type { InboundSource, ProcessedAction } from '../email.tables'

/** A mailbox as the receivers and the notifier use it (the IMAP password only where needed). */
export interface MailboxRecord {
  id: string
  address: string
  name: string
  inbound: InboundSource
  imapHost: string | null
  imapPort: number | null
  imapSecure: boolean
  imapUser: string | null
  imapFolder: string
  processedAction: ProcessedAction
  processedFolder: string
  teamId: string | null
  categoryId: string | null
  typeId: string | null
  priority: Priority | null
  plusAddressing: boolean
  active: boolean
  createdAt: Date
}

interface Row {
  id: string; address: string; name: string; inbound: InboundSource; imap_host: string | null; imap_port: number | null
  imap_secure: boolean; imap_user: string | null; imap_folder: string; processed_action: ProcessedAction; processed_folder: string
  team_id: string | null; category_id: string | null; type_id: string | null; priority: Priority | null; plus_addressing: boolean
  active: boolean; created_at: Date
}

const toRecord = (r: Row): MailboxRecord => ({
  id: r.id, address: r.address, name: r.name, inbound: r.inbound, imapHost: r.imap_host, imapPort: r.imap_port, imapSecure: r.imap_secure,
  imapUser: r.imap_user, imapFolder: r.imap_folder, processedAction: r.processed_action, processedFolder: r.processed_folder,
  teamId: r.team_id, categoryId: r.category_id, typeId: r.type_id, priority: r.priority, plusAddressing: r.plus_addressing,
  active: r.active, createdAt: new Date(r.created_at),
})

/** Every mailbox, oldest first (the first one of a domain is that domain's default). */
export async function listMailboxRecords(db: Executor): Promise<MailboxRecord[]> {
  const rows = (await sql<Row>`select id, address, name, inbound, imap_host, imap_port, imap_secure, imap_user, imap_folder, processed_action,
    processed_folder, team_id, category_id, type_id, priority, plus_addressing, active, created_at from mailboxes order by created_at, address`.execute(db)).rows
  return rows.map(toRecord)
}

const cache = new WeakMap<AppContext, { at: number; list: Promise<MailboxRecord[]> }>()
const TTL_MS = 5_000

/** All mailboxes, cached for a few seconds per process (mail arrives far more often than admins edit). */
export function cachedMailboxes(ctx: AppContext): Promise<MailboxRecord[]> {
  const hit = cache.get(ctx)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.list
  const list = listMailboxRecords(ctx.db)
  cache.set(ctx, { at: Date.now(), list })
  list.catch(() => cache.delete(ctx))
  return list
}

/** Forget the cached mailboxes (after an admin change in this process). */
export function invalidateMailboxCache(ctx: AppContext) {
  cache.delete(ctx)
}

/** The address without a `+tag`: soporte+abc@x.mx → soporte@x.mx. */
export function baseAddress(address: string): string {
  const lower = address.trim().toLowerCase()
  return lower.replace(/\+[^@]*@/, '@')
}

/**
 * The mailbox an SMTP recipient belongs to: an active mailbox with that address (plus tags
 * ignored), else, for a domain in the accepted list, the first active mailbox of that domain
 * (else the first active one). Null: we do not accept mail for this address.
 */
export function mailboxForRecipient(mailboxes: readonly MailboxRecord[], recipient: string, acceptedDomains: readonly string[]): MailboxRecord | null {
  const active = mailboxes.filter((m) => m.active)
  const address = baseAddress(recipient)
  const exact = active.find((m) => m.address === address)
  if (exact) return exact
  const domain = address.slice(address.lastIndexOf('@') + 1)
  if (!acceptedDomains.some((d) => d.toLowerCase() === domain)) return null
  return active.find((m) => m.address.endsWith(`@${domain}`)) ?? active[0] ?? null
}
