import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import type { Actor } from '../../../platform/auth/actor'
import { inTransaction, type Executor, type Trx } from '../../../platform/db/database'
import { arrayParam } from '../../../platform/db/plan-cache'
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
export function applyInput(p: PreparedInbound, claimed: Claimed): ApplyInput {
  return {
    inboundId: claimed.id, messageKey: p.messageKey, mailbox: p.delivery.mailbox, analysis: p.analysis, files: p.files,
    envelopeFrom: p.delivery.envelopeFrom ?? null, settings: p.settings, secrets: p.secrets, ourAddresses: p.ourAddresses,
    senderAuthenticated: authenticationPassed(p.delivery.raw, { authservId: p.settings.authservId, from: p.analysis.message.from?.address ?? null }), now: p.now, lookups: claimed.lookups,
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
    from unnest(${arrayParam(rows.map((r) => r.id), 'uuid')}, ${arrayParam(a.map((x) => x.status), 'text')}, ${arrayParam(a.map((x) => x.ticketId), 'uuid')},
      ${arrayParam(a.map((x) => x.commentId), 'uuid')}, ${arrayParam(a.map((x) => x.matchedBy), 'text')}, ${arrayParam(a.map((x) => x.notify), 'bool')},
      ${arrayParam(a.map((x) => JSON.stringify(x.reasons)), 'jsonb')}) as u(id, status, ticket_id, comment_id, matched_by, notify, reasons)
    where i.id = u.id`.execute(trx)
}

/**
 * Inserts the inbound_messages row, or takes over a `failed` one for another attempt, and in
 * the same statement does what applyInbound needs first: counts the message against the
 * sender's hourly limit (dropping the sender's older windows), looks the sender up among the
 * users, lifts a bounce mark on the sender's address (mail from it shows it works: sender-guard.ts)
 * and looks for the same Message-ID already handled by another of our mailboxes.
 * Returns the row id with those answers, or null when the message is already there (a
 * re-delivery: nothing to do, nothing counted). On PostgreSQL a parallel delivery of the same
 * message waits here for the first one's commit.
 */
export async function claim(trx: Trx, p: PreparedInbound, lookups: ClaimLookups | null): Promise<Claimed | null> {
  return (await claimAll(trx, [{ p, lookups }]))[0]
}

export interface Claimed { id: string; lookups: InboundLookups }

/**
 * claim for several messages in one statement (a batch; each mailbox + key at most once): a
 * sender's messages are counted in the batch's order, each seeing the count up to itself.
 * Answers in the messages' order.
 */
export async function claimAll(trx: Trx, items: ReadonlyArray<{ p: PreparedInbound; lookups: ClaimLookups | null }>): Promise<Array<Claimed | null>> {
  const col = <T>(pick: (p: PreparedInbound, lookups: ClaimLookups | null) => T) => items.map(({ p, lookups }) => pick(p, lookups))
  const sender = (l: ClaimLookups | null) => l?.sender ?? null
  const rows = (await sql<{ ord: string; id: string; sender_count: number | null; user_id: string | null; role: Actor['role'] | null
    active: boolean | null; other_ticket_id: string | null }>`
    with input as (
      select * from unnest(${arrayParam(col((p) => p.delivery.mailbox.id), 'uuid')}, ${arrayParam(col((p) => p.delivery.source), 'text')},
        ${arrayParam(col((p) => p.messageKey), 'text')}, ${arrayParam(col((p) => p.analysis.message.messageId?.slice(0, 998) ?? null), 'text')},
        ${arrayParam(col((p) => p.delivery.imap?.uidValidity ?? null), 'bigint')}, ${arrayParam(col((p) => p.delivery.imap?.uid ?? null), 'bigint')},
        ${arrayParam(col((p) => p.raw.sha256), 'text')}, ${arrayParam(col((p) => p.raw.size), 'int')},
        ${arrayParam(col((p) => p.delivery.envelopeFrom ?? null), 'text')}, ${arrayParam(col((p) => JSON.stringify(p.delivery.envelopeTo ?? [])), 'jsonb')},
        ${arrayParam(col((p) => p.analysis.message.from?.address ?? null), 'text')}, ${arrayParam(col((p) => p.analysis.message.from?.name || null), 'text')},
        ${arrayParam(col((p) => JSON.stringify(p.analysis.message.to)), 'jsonb')}, ${arrayParam(col((p) => JSON.stringify(p.analysis.message.cc)), 'jsonb')},
        ${arrayParam(col((p) => p.analysis.message.subject.slice(0, 1000)), 'text')}, ${arrayParam(col((p) => validDate(p.analysis.message.date)), 'timestamptz')},
        ${arrayParam(col((p) => p.analysis.message.inReplyTo?.slice(0, 998) ?? null), 'text')},
        ${arrayParam(col((p) => JSON.stringify(p.analysis.message.references.slice(-50).map((r) => r.slice(0, 998)))), 'jsonb')},
        ${arrayParam(col((p) => p.analysis.verdict.kind), 'text')}, ${arrayParam(col((p) => JSON.stringify(p.analysis.verdict.reasons)), 'jsonb')},
        ${arrayParam(col((p) => p.now), 'timestamptz')}, ${arrayParam(col((_p, l) => sender(l)), 'text')},
        ${arrayParam(col((_p, l) => Boolean(sender(l) && l?.countSender)), 'bool')},
        ${arrayParam(col((p, l) => (l?.otherMailboxes ? p.analysis.message.messageId?.slice(0, 998) ?? null : null)), 'text')},
        ${arrayParam(col((p) => new Date(Math.floor(p.now.getTime() / HOUR) * HOUR)), 'timestamptz')})
        with ordinality as i(mailbox_id, source, message_key, message_id, uid_validity, uid, raw_sha256, raw_size, envelope_from, envelope_to,
          from_address, from_name, to_addresses, cc_addresses, subject, sent_at, in_reply_to, refs, kind, reasons, received_at,
          sender, count_sender, other_message_id, window_start, ord)
    ), claim as (
      insert into inbound_messages (mailbox_id, source, message_key, message_id, imap_uid_validity, imap_uid,
        raw_sha256, raw_size, envelope_from, envelope_to, from_address, from_name, to_addresses, cc_addresses, subject, sent_at, in_reply_to,
        "references", kind, reasons, status, received_at)
      select mailbox_id, source, message_key, message_id, uid_validity, uid, raw_sha256, raw_size, envelope_from,
        array(select jsonb_array_elements_text(envelope_to)), from_address, from_name, to_addresses, cc_addresses, subject, sent_at, in_reply_to,
        array(select jsonb_array_elements_text(refs)), kind, array(select jsonb_array_elements_text(reasons)), 'processing', received_at
      from input order by ord
      on conflict (mailbox_id, message_key) do update set status = 'processing', attempts = inbound_messages.attempts + 1, error = null
        where inbound_messages.status = 'failed'
      returning id, mailbox_id, message_key
    ), claimed as (
      select i.*, c.id from input i join claim c on c.mailbox_id = i.mailbox_id and c.message_key = i.message_key
    ), tally as (
      select sender, window_start, count(*)::int as n from claimed where count_sender group by sender, window_start
    ), old_windows as (
      -- Older than the batch's oldest window of the sender: never a row the counter below writes.
      delete from email_sender_counters e using (select sender, min(window_start) as window_start from tally group by sender) t
        where e.address = t.sender and e.window_start < t.window_start
    ), counter as (
      insert into email_sender_counters (address, window_start, count) select sender, window_start, n from tally
      on conflict (address, window_start) do update set count = email_sender_counters.count + excluded.count
      returning address, window_start, count
    ), works_again as (
      -- Mail from a person at an address that bounced is proof it works: notifications to it resume.
      delete from email_failing_addresses f using (select distinct sender from claimed where sender is not null) s
        where f.address = s.sender returning f.address
    ), unflagged as (
      update users set email_failing = false from works_again w where lower(users.email) = w.address and users.email_failing
    )
    select c.ord, c.id,
      case when c.count_sender then k.count - (select count(*) from claimed l
        where l.count_sender and l.sender = c.sender and l.window_start = c.window_start and l.ord > c.ord)::int end as sender_count,
      u.id as user_id, u.role, u.active,
      (select x.ticket_id from inbound_messages x where c.other_message_id is not null and x.message_id = c.other_message_id
        and x.mailbox_id <> c.mailbox_id and x.ticket_id is not null limit 1) as other_ticket_id
    from claimed c
    left join counter k on k.address = c.sender and k.window_start = c.window_start
    left join lateral (select id, role, active from users where c.sender is not null and lower(email) = c.sender limit 1) u on true`.execute(trx)).rows
  const byOrd = new Map(rows.map((r) => [Number(r.ord), r]))
  return items.map((_, i) => {
    const row = byOrd.get(i + 1)
    if (!row) return null
    return {
      id: row.id,
      lookups: {
        senderCount: row.sender_count === null ? null : Number(row.sender_count),
        sender: row.user_id ? { id: row.user_id, role: row.role!, active: row.active! } : null,
        otherMailboxTicketId: row.other_ticket_id,
      },
    }
  })
}

export async function findReceivedIn(db: Executor, mailboxId: string, messageKey: string) {
  const row = (await sql<{ id: string; status: InboundStatus; ticket_id: string | null; comment_id: string | null }>`
    select id, status, ticket_id, comment_id from inbound_messages where mailbox_id = ${mailboxId} and message_key = ${messageKey}`.execute(db)).rows[0]
  return row ? { id: row.id, status: row.status, ticketId: row.ticket_id, commentId: row.comment_id } : null
}

function validDate(d: Date | null): Date | null {
  return d && Number.isFinite(d.getTime()) && d.getFullYear() > 1970 && d.getFullYear() < 10000 ? d : null
}
