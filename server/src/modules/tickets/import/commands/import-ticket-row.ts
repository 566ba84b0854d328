import { sql } from 'kysely'
import type { Static } from 'typebox'
import type { Trx } from '../../../../platform/db/database'
import { ValidationError } from '../../../../platform/http/errors'
import type { CommandContext } from '../../history/append-history'
import { readTicketSettings } from '../../settings/ticket-settings'
import { prepareBody } from '../../content/message-body'
import { fieldsForType } from '../../custom-fields/custom-field-defs'
import { validateCustomFields } from '../../custom-fields/validate-custom-fields'
import { findOrCreateRequester } from '../../commands/find-or-create-requester'
import { normaliseTags, resolveCategory, resolveStatus, resolveType } from '../../commands/lookups'
import { recordTicketEvent } from '../../commands/record-ticket-event'
import { categoryByPath, organizationByName, staffByEmail, teamByName, userByEmail } from '../import-lookups'
import type { ImportTicket } from '../import.schemas'
import type { Channel } from '../../../../../../common/src/tickets/tickets.types'

export type ImportTicketInput = Static<typeof ImportTicket>

export type RowOutcome =
  | { status: 'created'; ticketId: string; number: number; numberKept: boolean }
  | { status: 'skipped'; ticketId: string; number: number }

/** The row's times, checked: none in the future, none before the ticket was created, closed not before resolved. */
function rowTimes(row: ImportTicketInput, now: Date) {
  const createdAt = new Date(row.createdAt)
  const check = (field: string, value: string | undefined) => {
    if (value === undefined) return null
    const d = new Date(value)
    if (d.getTime() > now.getTime() + 5 * 60_000) throw new ValidationError('import.future_time', { field, value }, [{ field, rule: 'past' }], 'invalid_time')
    if (d.getTime() < createdAt.getTime()) throw new ValidationError('import.time_order', { field, value }, [{ field, rule: 'after_created' }], 'invalid_time')
    return d
  }
  if (createdAt.getTime() > now.getTime() + 5 * 60_000) throw new ValidationError('import.future_time', { field: 'createdAt', value: row.createdAt }, [{ field: 'createdAt', rule: 'past' }], 'invalid_time')
  const comments = (row.comments ?? []).map((c, i) => check(`comments.${i}.createdAt`, c.createdAt)!)
  const history = (row.history ?? []).map((h, i) => check(`history.${i}.at`, h.at)!)
  const resolvedAt = check('resolvedAt', row.resolvedAt)
  const closedAt = check('closedAt', row.closedAt)
  // A ticket is closed after it was resolved, never before.
  if (resolvedAt && closedAt && closedAt < resolvedAt) {
    throw new ValidationError('import.closed_before_resolved', { closedAt: row.closedAt, resolvedAt: row.resolvedAt }, [{ field: 'closedAt', rule: 'after_resolved' }], 'invalid_time')
  }
  return {
    createdAt, comments, history, resolvedAt, closedAt,
    updatedAt: check('updatedAt', row.updatedAt), firstResponseAt: check('firstResponseAt', row.firstResponseAt), cancelledAt: check('cancelledAt', row.cancelledAt),
  }
}

const latest = (dates: Array<Date | null>) => new Date(Math.max(...dates.filter((d): d is Date => !!d).map((d) => d.getTime())))

/** The original number when free, else null (the ticket takes the next one from the sequence). */
async function freeNumber(trx: Trx, number: number | undefined): Promise<number | null> {
  if (number === undefined) return null
  const taken = (await sql`select 1 from tickets where number = ${number}`.execute(trx)).rows.length > 0
  return taken ? null : number
}

/**
 * Moves the sequence past a kept original number so it is never handed out. Called once the row's
 * writes have succeeded: setval is not transactional, so a row that fails after it (its savepoint
 * rolled back) would have moved every later ticket's number for nothing.
 */
async function bumpSequencePast(trx: Trx, number: number) {
  await sql`select setval('ticket_number_seq', ${number}::bigint) from ticket_number_seq where last_value < ${number}::bigint`.execute(trx)
}

/** A comment's externalId is unique per ticket: a row naming one twice is refused up front with a clear message. */
function refuseDuplicateCommentIds(row: ImportTicketInput) {
  const seen = new Map<string, number>()
  for (const [i, c] of (row.comments ?? []).entries()) {
    if (c.externalId === undefined || c.externalId === null) continue
    const first = seen.get(c.externalId)
    if (first !== undefined) {
      throw new ValidationError('import.duplicate_comment_id', { externalId: c.externalId, first, index: i },
        [{ field: `comments.${i}.externalId`, rule: 'unique' }], 'duplicate_comment_id')
    }
    seen.set(c.externalId, i)
  }
}

/**
 * Imports one ticket as it was in another help desk: original number when free, original times,
 * requester (found or created), comments with their authors and times, and the old history,
 * followed by an `imported` history row. Sends nothing: one internal `ticket.imported` event.
 */
export async function importTicketRow(trx: Trx, ctx: CommandContext, source: string, row: ImportTicketInput): Promise<RowOutcome> {
  if (row.externalId) {
    const seen = (await sql<{ ticket_id: string; number: number }>`select r.ticket_id, t.number from ticket_import_refs r join tickets t on t.id = r.ticket_id
      where r.source = ${source} and r.external_id = ${row.externalId}`.execute(trx)).rows[0]
    if (seen) return { status: 'skipped', ticketId: seen.ticket_id, number: seen.number }
  }
  const times = rowTimes(row, ctx.now)
  refuseDuplicateCommentIds(row)
  const settings = await readTicketSettings(trx)
  const categoryId = row.categoryId ? (await resolveCategory(trx, row.categoryId)).id : row.category ? await categoryByPath(trx, row.category) : null
  const type = await resolveType(trx, row.type ?? settings.defaultTypeCode)
  const status = await resolveStatus(trx, row.status ?? 'open')
  if (status.category === 'cancelled' && !row.cancelReason) throw new ValidationError('import.cancel_reason_required', {}, [{ field: 'cancelReason', rule: 'required' }], 'cancel_reason_required')
  if (!row.requester.email && !row.requester.phone) throw new ValidationError('import.requester_required', {}, [{ field: 'requester', rule: 'contact' }], 'requester_required')
  const organizationId = row.organization ? await organizationByName(trx, row.organization) : undefined
  const requester = await findOrCreateRequester(trx, ctx, {
    name: row.requester.name ?? row.requester.email?.split('@')[0] ?? row.requester.phone!, email: row.requester.email, phone: row.requester.phone, organizationId,
  })
  // A ticket still being worked goes to someone who can work it; a finished one keeps who worked it, gone or not.
  const finished = status.category === 'closed' || status.category === 'cancelled' || status.category === 'resolved'
  const assigneeId = row.assigneeEmail ? await staffByEmail(trx, row.assigneeEmail, 'assigneeEmail', { active: !finished }) : null
  const teamId = row.team ? await teamByName(trx, row.team) : null
  const defs = await fieldsForType(trx, type.id)
  const orgId = organizationId ?? requester.organization_id
  const { values } = await validateCustomFields(trx, { defs, current: {}, changes: row.customFields, actor: ctx.actor, requireAll: false, organizationId: orgId })
  const comments = await prepareComments(trx, ctx, row, requester.id)

  const final = status.category
  const resolvedAt = times.resolvedAt ?? (final === 'resolved' || final === 'closed' ? times.updatedAt ?? times.createdAt : null)
  const closedAt = times.closedAt ?? (final === 'closed' ? times.updatedAt ?? resolvedAt : null)
  const cancelledAt = times.cancelledAt ?? (final === 'cancelled' ? times.updatedAt ?? times.createdAt : null)
  const firstResponseAt = times.firstResponseAt ?? comments.find((c) => c.staff && !c.internal)?.createdAt ?? null
  const updatedAt = times.updatedAt ?? latest([times.createdAt, ...times.comments, ...times.history, resolvedAt, closedAt, cancelledAt])
  const statusChangedAt = (final === 'closed' ? closedAt : final === 'cancelled' ? cancelledAt : final === 'resolved' ? resolvedAt : null) ?? updatedAt
  const description = prepareBody({ text: row.description, html: row.descriptionHtml })
  const number = await freeNumber(trx, row.number)

  const ticket = await trx.insertInto('tickets').values({
    ...(number !== null ? { number } : {}),
    subject: row.subject.trim(), description: description.text, description_html: description.html, type_id: type.id, category_id: categoryId,
    priority: row.priority ?? settings.defaultPriority, status_id: status.id, channel: row.channel ?? 'web', requester_id: requester.id,
    organization_id: orgId, site_id: requester.site_id, assignee_id: assigneeId, team_id: teamId, tags: normaliseTags(row.tags ?? []),
    custom_fields: JSON.stringify(values), third_party: row.thirdParty ?? null, third_party_ref: row.thirdPartyRef ?? null,
    cancel_reason: final === 'cancelled' ? row.cancelReason ?? null : null, created_by_id: ctx.actor.id, via_token_id: ctx.actor.tokenId ?? null,
    created_at: times.createdAt, updated_at: updatedAt, status_changed_at: statusChangedAt, first_response_at: firstResponseAt,
    resolved_at: final === 'resolved' || final === 'closed' ? resolvedAt : null, closed_at: final === 'closed' ? closedAt : null,
    cancelled_at: final === 'cancelled' ? cancelledAt : null,
  }).returning(['id', 'number']).executeTakeFirstOrThrow()

  for (const r of row.externalRefs ?? []) {
    await sql`insert into ticket_external_refs (ticket_id, kind, provider, value, created_at) values (${ticket.id}, ${r.kind}, ${r.provider ?? null}, ${r.value.trim()}, ${times.createdAt})
      on conflict do nothing`.execute(trx)
  }
  for (const c of comments) {
    await trx.insertInto('comments').values({
      ticket_id: ticket.id, author_id: c.authorId, internal: c.internal, channel: c.channel, body_text: c.text, body_html: c.html,
      external_id: c.externalId, created_at: c.createdAt,
    }).execute()
  }
  await writeHistory(trx, ctx, ticket.id, row, times, { source, number: ticket.number, originalNumber: row.number ?? null, status: status.key, type: type.code })
  await sql`insert into ticket_import_refs (source, external_id, ticket_id, imported_by, imported_at)
    values (${source}, ${row.externalId ?? ticket.id}, ${ticket.id}, ${ctx.actor.id}, ${ctx.now})`.execute(trx)
  await recordTicketEvent(trx, ctx, ticket.id, 'ticket.imported', { number: ticket.number, source, externalId: row.externalId ?? null, internal: true })
  if (number !== null) await bumpSequencePast(trx, number)
  return { status: 'created', ticketId: ticket.id, number: ticket.number, numberKept: row.number === undefined || number === row.number }
}

interface PreparedComment {
  authorId: string | null; staff: boolean; internal: boolean; channel: Channel
  text: string; html: string; externalId: string | null; createdAt: Date
}

/** Comment authors by email (an unknown address on a public message becomes a contact; an internal note needs a user). */
async function prepareComments(trx: Trx, ctx: CommandContext, row: ImportTicketInput, requesterId: string): Promise<PreparedComment[]> {
  const out: PreparedComment[] = []
  for (const [i, c] of (row.comments ?? []).entries()) {
    const body = prepareBody({ text: c.body, html: c.bodyHtml })
    if (!body.text) throw new ValidationError('import.empty_comment', { index: i }, [{ field: `comments.${i}.body`, rule: 'required' }], 'empty_comment')
    let author: { id: string; role: string } | null = null
    if (c.authorEmail) {
      author = await userByEmail(trx, c.authorEmail)
      if (!author && c.internal) throw new ValidationError('import.unknown_author', { index: i, email: c.authorEmail }, [{ field: `comments.${i}.authorEmail`, rule: 'staff' }], 'unknown_author')
      if (!author) author = { id: (await findOrCreateRequester(trx, ctx, { name: c.authorName ?? c.authorEmail.split('@')[0], email: c.authorEmail })).id, role: 'customer' }
    }
    out.push({
      authorId: author?.id ?? null, staff: !!author && author.role !== 'customer' && author.id !== requesterId, internal: c.internal ?? false,
      channel: (c.channel ?? row.channel ?? 'web') as Channel, text: body.text, html: body.html, externalId: c.externalId ?? null, createdAt: new Date(c.createdAt),
    })
  }
  return out
}

/** The `created` row at the original time, the old history as given, and an `imported` row now. */
async function writeHistory(trx: Trx, ctx: CommandContext, ticketId: string, row: ImportTicketInput, times: ReturnType<typeof rowTimes>,
  summary: { source: string; number: number; originalNumber: number | null; status: string; type: string }) {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v))
  const entries = [sql`(${ticketId}, ${times.createdAt}, ${null}, 'import', ${null}, 'created', ${null}, ${null}::jsonb,
    ${json({ subject: row.subject, type: summary.type, priority: row.priority ?? null, status: summary.status })}::jsonb, false)`]
  for (const [i, h] of (row.history ?? []).entries()) {
    const actor = h.actorEmail ? await userByEmail(trx, h.actorEmail) : null
    entries.push(sql`(${ticketId}, ${times.history[i]}, ${actor?.id ?? null}, 'import', ${null}, ${h.action}, ${h.field ?? null},
      ${json(h.oldValue)}::jsonb, ${json(h.newValue)}::jsonb, ${h.internal ?? false})`)
  }
  entries.push(sql`(${ticketId}, ${ctx.now}, ${ctx.actor.id}, 'import', ${ctx.actor.tokenId ?? null}, 'imported', ${null}, ${null}::jsonb,
    ${json({ source: summary.source, externalId: row.externalId ?? null, originalNumber: summary.originalNumber, number: summary.number })}::jsonb, true)`)
  await sql`insert into ticket_history (ticket_id, at, actor_id, via, via_token_id, action, field, old_value, new_value, internal)
    values ${sql.join(entries)}`.execute(trx)
}
