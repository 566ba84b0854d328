import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Trx } from '../../../platform/db/database'
import { canView } from '../../tickets/tickets.policy'
import { loadTicket, loadTicketByNumber, type TicketRow } from '../../tickets/queries/load-ticket'
import type { InboundAnalysis } from './analyse-inbound'
import { parseReplyToken, verifyReplyToken } from '../reply-token'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** How an inbound message was tied to a ticket (stored as inbound_messages.matched_by). */
export type MatchedBy = 'message_id' | 'references' | 'reply_token' | 'address_token' | 'subject'

export interface TicketMatch {
  ticket: TicketRow
  matchedBy: MatchedBy
  /** The ticket the evidence pointed to before following merges (a reply token is bound to it). */
  originalTicketId: string
}

/** The sender as a user of ours, when known. */
export interface KnownSender {
  id: string
  role: Actor['role']
  active: boolean
  /** The sender as an actor (loaded on first call: a new ticket from a known sender does not need it). */
  actor: () => Promise<Actor | null>
}

/**
 * Finds the ticket an inbound message answers, in the documented order: Message-IDs of mail we
 * sent (In-Reply-To, then References newest first) and of mail we received, then reply tokens
 * (in our Message-IDs or plus addresses), then a ticket number tagged in the subject. Never by
 * subject words. A subject tag alone is trusted only from someone already on that ticket (the
 * requester, a watcher or anyone who may see it), so a stranger cannot write into any ticket by
 * guessing its number. Merged tickets lead to the ticket they were merged into.
 */
export async function matchTicket(trx: Trx, analysis: InboundAnalysis, sender: KnownSender | null, secrets: readonly string[]): Promise<TicketMatch | null> {
  const { thread, message } = analysis
  const ids = thread.referencedMessageIds
  if (ids.length) {
    const sent = (await sql<{ message_id: string; ticket_id: string }>`select message_id, ticket_id from outbound_messages
      where message_id = any(${ids}::text[]) and ticket_id is not null`.execute(trx)).rows
    const received = (await sql<{ message_id: string; ticket_id: string }>`select message_id, ticket_id from inbound_messages
      where message_id = any(${ids}::text[]) and ticket_id is not null order by received_at`.execute(trx)).rows
    for (const id of ids) {
      const out = sent.find((r) => r.message_id === id)
      if (out) return follow(trx, out.ticket_id, 'message_id')
      const inbound = received.find((r) => r.message_id === id)
      if (inbound) return follow(trx, inbound.ticket_id, 'references')
    }
  }
  const from = message.from?.address ?? null
  // Our Message-ID format with a valid token for the sender (e.g. the outbox row was removed).
  for (const ours of thread.ourMessageIds) {
    const verified = from ? verifyReplyToken(ours.token, secrets, from) : null
    if (verified) {
      const match = await follow(trx, verified.ticketId, 'reply_token')
      if (match) return match
    }
  }
  for (const token of thread.addressTokens) {
    const verified = from ? verifyReplyToken(token.token, secrets, from) : null
    let ticketId = verified?.ticketId ?? null
    if (!ticketId && parseReplyToken(token.token)) {
      // A token we issued to someone else (the mail was forwarded): the outbox knows it.
      ticketId = (await sql<{ ticket_id: string }>`select ticket_id from outbound_messages where reply_token = ${token.token} limit 1`.execute(trx)).rows[0]?.ticket_id ?? null
    }
    if (ticketId) {
      const match = await follow(trx, ticketId, 'address_token')
      if (match) return match
    }
  }
  if (sender) {
    for (const number of thread.subjectNumbers) {
      const ticket = await loadTicketByNumber(trx, number)
      if (!ticket) continue
      if (await isParticipant(trx, ticket, sender)) return follow(trx, ticket.id, 'subject')
    }
  }
  return null
}

async function isParticipant(trx: Trx, ticket: TicketRow, sender: KnownSender): Promise<boolean> {
  if (!sender.active) return false
  if (ticket.requester_id === sender.id) return true
  const actor = await sender.actor()
  if (actor && canView(actor, ticket)) return true
  const watcher = await sql`select 1 from ticket_watchers where ticket_id = ${ticket.id} and user_id = ${sender.id}`.execute(trx)
  return watcher.rows.length > 0
}

/** Loads a ticket and follows merged_into_id (a few hops at most). */
async function follow(trx: Trx, ticketId: string, matchedBy: MatchedBy): Promise<TicketMatch | null> {
  if (!UUID.test(ticketId)) return null
  let ticket = await loadTicket(trx, ticketId)
  for (let hops = 0; ticket?.merged_into_id && hops < 5; hops++) ticket = await loadTicket(trx, ticket.merged_into_id)
  return ticket ? { ticket, matchedBy, originalTicketId: ticketId } : null
}
