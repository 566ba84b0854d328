import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { systemFromAddress } from '../../auth/system-address'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { formatAddress } from './headers'

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
 * cached list, or read now); `systemAddress`: the system sender (the caller's, or read now).
 */
export async function senderForTicket(db: Executor, ticket: { id: string; follow_up_of_id: string | null }, publicUrl: string,
  mailboxes?: readonly MailboxRecord[], systemAddress?: () => Promise<string>): Promise<Sender> {
  mailboxes ??= await listMailboxRecords(db)
  if (!mailboxes.some((m) => m.active)) return senderOf(db, null, publicUrl, systemAddress)
  const viaMail = (await sql<{ mailbox_id: string }>`select mailbox_id from inbound_messages
    where ticket_id = any(${[ticket.id, ticket.follow_up_of_id].filter((x): x is string => !!x)}::uuid[])
    order by ticket_id = ${ticket.id} desc, received_at limit 1`.execute(db)).rows[0]?.mailbox_id
  const mailbox = mailboxes.find((m) => m.id === viaMail && m.active) ?? mailboxes.find((m) => m.active) ?? null
  return senderOf(db, mailbox, publicUrl, systemAddress)
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

/** Message-IDs already in a ticket's thread (received and sent), oldest first, for In-Reply-To/References. */
export async function threadMessageIds(db: Executor, ticketId: string): Promise<string[]> {
  const rows = (await sql<{ message_id: string }>`
    select message_id from (
      select message_id, received_at as at from inbound_messages where ticket_id = ${ticketId} and message_id is not null
      union all
      select message_id, created_at as at from outbound_messages where ticket_id = ${ticketId} and status <> 'suppressed'
    ) m order by at limit 200`.execute(db)).rows
  return [...new Set(rows.map((r) => r.message_id))]
}
