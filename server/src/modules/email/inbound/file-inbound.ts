import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import type { Actor } from '../../../platform/auth/actor'
import { inTransaction, type Executor, type Trx } from '../../../platform/db/database'
import type { InboundStatus } from '../email.tables'
import { applyInbound, type AppliedInbound, type ApplyInput, type InboundLookups } from './apply-inbound'
import { authenticationPassed } from './raw-headers'
import type { InboundOutcome, PreparedInbound } from './receive-inbound'

const HOUR = 3_600_000

/**
 * Files one prepared message in its own transaction: claims it (a re-delivery answers what the
 * first delivery did) and applies it to its ticket. When applying fails, the message is recorded
 * as `failed` (to be reprocessed) in a second transaction; only when even that fails does this
 * throw, and the sender should retry later.
 */
export async function fileInbound(ctx: AppContext, p: PreparedInbound): Promise<InboundOutcome> {
  try {
    return await inTransaction(ctx.db, async (trx) => {
      const claimed = await claim(trx, p, claimLookups(p))
      if (!claimed) return { ...(await findReceivedIn(trx, p.delivery.mailbox.id, p.messageKey))!, duplicate: true }
      const input = applyInput(p, claimed)
      const applied = await applyInbound(trx, input)
      await recordApplied(trx, [{ id: claimed.id, applied }])
      return outcomeOf(claimed.id, applied)
    })
  } catch (err) {
    ctx.log?.warn({ err, mailbox: p.delivery.mailbox.address, messageKey: p.messageKey }, 'inbound email could not be applied; stored as failed')
    const id = await inTransaction(ctx.db, async (trx) => {
      const claimed = (await claim(trx, p, null))?.id
      const error = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000)
      await sql`update inbound_messages set status = 'failed', error = ${error}
        where mailbox_id = ${p.delivery.mailbox.id} and message_key = ${p.messageKey} and status in ('processing', 'failed')`.execute(trx)
      return claimed ?? (await findReceivedIn(trx, p.delivery.mailbox.id, p.messageKey))?.id ?? null
    })
    if (!id) throw err
    return { id, status: 'failed', ticketId: null, commentId: null, duplicate: false }
  }
}

interface ClaimLookups {
  sender: string | null
  countSender: boolean
  otherMailboxes: boolean
}

/** What the claim of a message to apply looks up on the way. */
export function claimLookups(p: PreparedInbound): ClaimLookups {
  return { sender: p.sender, countSender: p.sender !== null && p.settings.senderRateLimitPerHour > 0, otherMailboxes: p.ourAddresses.length > 1 }
}

/** applyInbound's input for a claimed message. */
export function applyInput(p: PreparedInbound, claimed: { id: string; lookups: InboundLookups }): ApplyInput {
  return {
    inboundId: claimed.id, messageKey: p.messageKey, mailbox: p.delivery.mailbox, analysis: p.analysis, files: p.files,
    envelopeFrom: p.delivery.envelopeFrom ?? null, settings: p.settings, secrets: p.secrets, ourAddresses: p.ourAddresses,
    senderAuthenticated: authenticationPassed(p.delivery.raw), now: p.now, lookups: claimed.lookups,
  }
}

export function outcomeOf(id: string, applied: AppliedInbound): InboundOutcome {
  return { id, status: applied.status, ticketId: applied.ticketId, commentId: applied.commentId, duplicate: false }
}

/** Records what applying decided for claimed messages, in one statement however many they are. */
export async function recordApplied(trx: Trx, rows: ReadonlyArray<{ id: string; applied: AppliedInbound }>) {
  const a = rows.map((r) => r.applied)
  await sql`update inbound_messages i set status = u.status, ticket_id = u.ticket_id, comment_id = u.comment_id, matched_by = u.matched_by,
      notify = u.notify, reasons = array(select jsonb_array_elements_text(u.reasons)), error = null
    from unnest(${rows.map((r) => r.id)}::uuid[], ${a.map((x) => x.status)}::text[], ${a.map((x) => x.ticketId)}::uuid[],
      ${a.map((x) => x.commentId)}::uuid[], ${a.map((x) => x.matchedBy)}::text[], ${a.map((x) => x.notify)}::boolean[],
      ${a.map((x) => JSON.stringify(x.reasons))}::jsonb[]) as u(id, status, ticket_id, comment_id, matched_by, notify, reasons)
    where i.id = u.id`.execute(trx)
}

/**
 * Inserts the inbound_messages row, or takes over a `failed` one for another attempt, and in
 * the same statement does what applyInbound needs first: counts the message against the
 * sender's hourly limit (dropping the sender's older windows), looks the sender up among the
 * users, and looks for the same Message-ID already handled by another of our mailboxes.
 * Returns the row id with those answers, or null when the message is already there (a
 * re-delivery: nothing to do, nothing counted). On PostgreSQL a parallel delivery of the same
 * message waits here for the first one's commit.
 */
export async function claim(trx: Trx, p: PreparedInbound, lookups: ClaimLookups | null): Promise<{ id: string; lookups: InboundLookups } | null> {
  const { delivery: d, analysis, messageKey, raw, now } = p
  const m = analysis.message
  const windowStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR)
  const address = lookups?.sender ?? null
  const count = Boolean(address && lookups?.countSender)
  const messageId = lookups?.otherMailboxes ? m.messageId?.slice(0, 998) ?? null : null
  const row = (await sql<{ id: string | null; sender_count: number | null; user_id: string | null; role: Actor['role'] | null; active: boolean | null
    other_ticket_id: string | null }>`
    with claim as (
      insert into inbound_messages (mailbox_id, source, message_key, message_id, imap_uid_validity, imap_uid,
        raw_sha256, raw_size, envelope_from, envelope_to, from_address, from_name, to_addresses, cc_addresses, subject, sent_at, in_reply_to,
        "references", kind, reasons, status, received_at)
      values (${d.mailbox.id}, ${d.source}, ${messageKey}, ${m.messageId?.slice(0, 998) ?? null}, ${d.imap?.uidValidity ?? null}, ${d.imap?.uid ?? null},
        ${raw.sha256}, ${raw.size}, ${d.envelopeFrom ?? null}, ${d.envelopeTo ?? []}, ${m.from?.address ?? null}, ${m.from?.name || null},
        ${JSON.stringify(m.to)}::jsonb, ${JSON.stringify(m.cc)}::jsonb, ${m.subject.slice(0, 1000)}, ${validDate(m.date)}, ${m.inReplyTo?.slice(0, 998) ?? null},
        ${m.references.slice(-50).map((r) => r.slice(0, 998))}, ${analysis.verdict.kind}, ${analysis.verdict.reasons}, 'processing', ${now})
      on conflict (mailbox_id, message_key) do update set status = 'processing', attempts = inbound_messages.attempts + 1, error = null
        where inbound_messages.status = 'failed'
      returning id
    ), old_windows as (
      delete from email_sender_counters where ${count}::boolean and address = ${address} and window_start < ${windowStart} and exists (select 1 from claim)
    ), counter as (
      insert into email_sender_counters (address, window_start, count) select ${address}::text, ${windowStart}::timestamptz, 1
        where ${count}::boolean and exists (select 1 from claim)
      on conflict (address, window_start) do update set count = email_sender_counters.count + 1
      returning count
    )
    select (select id from claim) as id, (select count from counter) as sender_count,
      u.id as user_id, u.role, u.active,
      (select i.ticket_id from inbound_messages i where ${messageId}::text is not null and i.message_id = ${messageId}
        and i.mailbox_id <> ${d.mailbox.id} and i.ticket_id is not null limit 1) as other_ticket_id
    from (select 1) as one
    left join lateral (select id, role, active from users where ${address}::text is not null and lower(email) = ${address} limit 1) u on true`.execute(trx)).rows[0]
  if (!row?.id) return null
  return {
    id: row.id,
    lookups: {
      senderCount: row.sender_count === null ? null : Number(row.sender_count),
      sender: row.user_id ? { id: row.user_id, role: row.role!, active: row.active! } : null,
      otherMailboxTicketId: row.other_ticket_id,
    },
  }
}

export async function findReceivedIn(db: Executor, mailboxId: string, messageKey: string) {
  const row = (await sql<{ id: string; status: InboundStatus; ticket_id: string | null; comment_id: string | null }>`
    select id, status, ticket_id, comment_id from inbound_messages where mailbox_id = ${mailboxId} and message_key = ${messageKey}`.execute(db)).rows[0]
  return row ? { id: row.id, status: row.status, ticketId: row.ticket_id, commentId: row.comment_id } : null
}


function validDate(d: Date | null): Date | null {
  return d && Number.isFinite(d.getTime()) && d.getFullYear() > 1970 && d.getFullYear() < 10000 ? d : null
}
