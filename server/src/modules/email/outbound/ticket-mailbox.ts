import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { systemFromAddress } from '../../auth/system-address'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { formatAddress } from './headers'
import { arrayParam } from '../../../platform/db/plan-cache'
import type { NotificationReads } from './notification-reads'

/** Who our mail about a ticket comes from, and where replies go. */
export interface Sender {
  mailbox: MailboxRecord | null
  /** `"Soporte" <soporte@empresa.mx>` */
  from: string
  address: string
  name: string
  /** Domain of our Message-IDs. */
  messageIdDomain: string
}

/**
 * The mailbox a ticket's mail is sent from: the one its first email arrived at (a follow-up
 * inherits its original's), else the oldest active mailbox, else the system sender (setting
 * mail.from). From and Reply-To are that mailbox's address. `mailboxes`: all of them (the caller's
 * cached list); `systemAddress`: the system sender (read once by the caller).
 */
export async function senderForTicket(reads: NotificationReads, ticket: { id: string; follow_up_of_id: string | null }, publicUrl: string,
  mailboxes: readonly MailboxRecord[], systemAddress: () => Promise<string>): Promise<Sender> {
  if (!mailboxes.some((m) => m.active)) return senderOf(reads.db, null, publicUrl, systemAddress)
  const viaMail = await reads.mailboxOfTicket.load(ticket.id) ?? (ticket.follow_up_of_id ? await reads.mailboxOfTicket.load(ticket.follow_up_of_id) : null)
  const mailbox = mailboxes.find((m) => m.id === viaMail && m.active) ?? mailboxes.find((m) => m.active) ?? null
  return senderOf(reads.db, mailbox, publicUrl, systemAddress)
}

/** Who mail about no single ticket (staff digests) comes from: the oldest active mailbox, else the system sender. */
export async function defaultSender(db: Executor, publicUrl: string): Promise<Sender> {
  return senderOf(db, (await listMailboxRecords(db)).find((m) => m.active) ?? null, publicUrl)
}

async function senderOf(db: Executor, mailbox: MailboxRecord | null, publicUrl: string, systemAddress?: () => Promise<string>): Promise<Sender> {
  if (mailbox) {
    return { mailbox, from: formatAddress(mailbox.name, mailbox.address), address: mailbox.address, name: mailbox.name, messageIdDomain: domainOf(mailbox.address) }
  }
  const system = systemAddress ? await systemAddress() : await systemFromAddress(db, publicUrl)
  const match = /^\s*(?:"?([^"<]*)"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$/.exec(system)
  const address = (match?.[2] ?? system).trim().toLowerCase()
  const name = match?.[1]?.trim() ?? ''
  return { mailbox: null, from: formatAddress(name, address), address, name, messageIdDomain: domainOf(address) }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() || 'atiende.local'
}

/**
 * A message of a ticket's thread: `to` is the one address it was sent to (ours), null for mail
 * received; `public`: mail received that became content the customer sees (a new request, a
 * follow-up, a reply from the requester's side), false for mail filed as an internal note or an
 * agent's own reply (the customer got our mail of it, never that message).
 */
export interface ThreadMessage { messageId: string; to: string | null; public: boolean }

/**
 * Message-IDs already in each ticket's thread (received and sent), oldest first, for In-Reply-To
 * and References. A sent one carries its recipient's reply token, so only that recipient's own
 * mail may cite it; a received one that the customer never saw only staff mail (`threadFor`).
 */
export async function threadsOf(db: Executor, ticketIds: readonly string[]): Promise<Map<string, ThreadMessage[]>> {
  const threads = new Map<string, ThreadMessage[]>(ticketIds.map((id) => [id, []]))
  if (ticketIds.length === 0) return threads
  const ids = arrayParam([...new Set(ticketIds)], 'uuid')
  const rows = (await sql<{ ticket_id: string; message_id: string; to_address: string | null; public: boolean }>`
    select ticket_id, message_id, to_address, public from (
      select ticket_id, message_id, to_address, public, at, row_number() over (partition by ticket_id order by at) as n from (
        select i.ticket_id, i.message_id, null::text as to_address, i.received_at as at,
          i.status in ('ticket_created', 'follow_up_created') or (i.status = 'comment_added' and exists (
            select 1 from comments c join tickets t on t.id = c.ticket_id left join users u on u.id = c.author_id
            where c.id = i.comment_id and not c.internal and (c.author_id = t.requester_id or u.role = 'customer'))) as public
        from inbound_messages i where i.ticket_id = any(${ids}) and i.message_id is not null
          and i.status in ('ticket_created', 'follow_up_created', 'comment_added', 'note_added')
        union all
        select ticket_id, message_id, to_address, created_at as at, true as public from outbound_messages where ticket_id = any(${ids}) and status <> 'suppressed'
      ) m
    ) numbered where n <= 200 order by ticket_id, at`.execute(db)).rows
  for (const r of rows) {
    const thread = threads.get(r.ticket_id)
    if (thread && !thread.some((m) => m.messageId === r.message_id)) thread.push({ messageId: r.message_id, to: r.to_address?.toLowerCase() ?? null, public: r.public })
  }
  return threads
}

/**
 * The thread as `recipient` may see it: mail sent to them (never another recipient's token) and
 * mail received — for a customer only what became content they see, never a message filed as an
 * internal note or an agent's own reply; staff (`staff`) see every message received.
 */
export function threadFor(thread: readonly ThreadMessage[], recipient: string, staff = false): string[] {
  const own = recipient.toLowerCase()
  return thread.filter((m) => (m.to === null && (m.public || staff)) || m.to === own).map((m) => m.messageId)
}
