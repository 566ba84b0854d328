import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ConflictError, ValidationError } from '../../../platform/http/errors'
import { t } from '../../../platform/i18n/messages'
import { FINAL_STATUSES, type Channel } from '../../../../../common/src/tickets/tickets.types'
import { recordTicketEvent } from './record-ticket-event'
import { appendHistory, type CommandContext } from '../history/append-history'
import { authorize, canView, type Viewer } from '../tickets.policy'
import { prepareBody } from '../content/message-body'
import { readTicketSettings } from '../settings/ticket-settings'
import { withinReopenWindow } from '../lifecycle/transitions'
import { claimAttachments } from '../tickets.extensions'
import { loadTicket, type TicketRow } from '../queries/load-ticket'
import { changeStatus, type ChangeStatusInput } from './change-status'
import { createTicket } from './create-ticket'

export interface AddCommentInput {
  body?: string
  bodyHtml?: string
  internal?: boolean
  channel?: Channel
  /** Staff to notify; `@email` tokens in the body are added. */
  mentions?: string[]
  /**
   * Files uploaded to the ticket beforehand (POST /api/v1/tickets/:id/attachments) by the author.
   * When the reply opens a follow-up instead (the ticket is closed), they must be staged uploads
   * (POST /api/v1/attachments), since a closed ticket takes no files: they go with the follow-up's
   * description (the requester's words) or with the staff reply that is its first comment.
   */
  attachmentIds?: string[]
  /**
   * The email intake's staged files for the follow-up that a reply to a closed ticket opens: the
   * follow-up files them with its description. Ignored when no follow-up opens.
   */
  followUpAttachmentIds?: string[]
  /** Staff: change the status with the reply ("reply and set pending"). */
  status?: ChangeStatusInput
  /** Source id (e.g. an email Message-ID): the same id twice adds the comment once. */
  externalId?: string
}

export interface AddCommentResult {
  commentId: string | null
  ticketId: string
  /** Set when the ticket was closed: the reply opened this follow-up ticket instead. */
  followUp: { id: string; number: number } | null
  duplicate: boolean
}

const EMAIL_MENTION = /(?:^|[\s(])@([a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})/gi

type MentionedRow = { id: string; name: string; role: Viewer['role']; organization_id: string | null; org_manager: boolean
  ticket_scope: Viewer['ticketScope']; team_ids: string[] }

/**
 * Active staff ids among the explicit mentions and the `@email` tokens of the text, who may see
 * the ticket: mentioning someone who may not (an agent restricted to other teams) is refused —
 * the note would reach them by email —, an `@address` of theirs stays plain text.
 */
async function resolveMentions(trx: Trx, ticket: TicketRow, ids: string[], text: string): Promise<string[]> {
  const emails = [...text.matchAll(EMAIL_MENTION)].map((m) => m[1].toLowerCase())
  if (!ids.length && !emails.length) return []
  const rows = (await sql<MentionedRow>`select u.id, u.name, u.role, u.organization_id, u.org_manager, u.ticket_scope,
      (select coalesce(array_agg(tm.team_id::text), '{}') from team_members tm where tm.user_id = u.id) as team_ids
    from users u where u.active and u.role <> 'customer'
    and (u.id = any(${ids}::uuid[]) or lower(u.email) = any(${emails}::text[]))`.execute(trx)).rows
  if (ids.some((id) => !rows.some((r) => r.id === id))) throw new ValidationError('tickets.mention_unknown', {}, [{ field: 'mentions', rule: 'staff' }])
  const sees = (r: MentionedRow) => canView({ id: r.id, role: r.role, organizationId: r.organization_id, orgManager: r.org_manager, ticketScope: r.ticket_scope, teamIds: r.team_ids }, ticket)
  const blind = rows.filter((r) => ids.includes(r.id) && !sees(r))
  if (blind.length) {
    throw new ValidationError('tickets.mention_no_access', { names: blind.map((r) => r.name).join(', ') }, [{ field: 'mentions', rule: 'canView' }])
  }
  return [...new Set(rows.filter(sees).map((r) => r.id))]
}

/** Whether this reply comes from the requester's side (the requester, or a customer who may see the ticket). */
const fromRequesterSide = (ctx: CommandContext, t: TicketRow) => ctx.actor.id === t.requester_id || ctx.actor.role === 'customer'

/**
 * Adds a public reply or an internal note. A requester's reply moves `pending` back to `open` and
 * reopens a `resolved` ticket inside the reopen window; a reply to a closed (or cancelled, or
 * resolved past its window) ticket opens a linked follow-up ticket instead. The first public staff
 * reply sets first_response_at and moves `new` to `open`. A verified follower's reply (mail
 * intake only) counts as the requester's side, like a colleague's. Records history, `comment.added`
 * (payload.internal) and `comment.mentioned` for @mentions.
 */
export async function addComment(trx: Trx, ctx: CommandContext, ticketId: string, input: AddCommentInput,
  opts: { verifiedFollower?: boolean } = {}): Promise<AddCommentResult> {
  const { actor } = ctx
  const internal = input.internal ?? false
  let ticket = await loadTicket(trx, ticketId, { forUpdate: true })
  // A follower (watcher) who may not see the ticket in the portal still takes part by email: the
  // mail intake passes `verifiedFollower` for a public reply whose reply token was made for them.
  const follower = opts.verifiedFollower && !internal && actor.role === 'customer' && !!ticket && !FINAL_STATUSES.includes(ticket.status)
  if (!follower) authorize(actor, internal ? 'comment_internal' : 'comment', ticket)
  if (!ticket) throw new Error('unreachable')
  if (input.externalId) {
    const dup = (await sql<{ id: string }>`select id from comments where ticket_id = ${ticketId} and external_id = ${input.externalId}`.execute(trx)).rows[0]
    if (dup) return { commentId: dup.id, ticketId, followUp: null, duplicate: true }
  }
  const body = prepareBody({ text: input.body, html: input.bodyHtml })
  if (!body.text && !(input.attachmentIds?.length)) throw new ValidationError('tickets.empty_body', {}, [{ field: 'body', rule: 'required' }])
  const requesterSide = fromRequesterSide(ctx, ticket)

  if (ticket.status === 'resolved' && requesterSide && !internal) {
    const settings = await readTicketSettings(trx)
    if (!withinReopenWindow(ticket.resolved_at ? new Date(ticket.resolved_at) : null, ctx.now, settings.reopenWindowDays)) {
      // Past the window the ticket is as good as closed: close it now and follow up.
      await changeStatus(trx, { ...ctx, actor: { ...actor, via: 'system' } }, ticketId, { status: 'closed' }, { ticket, skipAuthorize: true })
      ticket = (await loadTicket(trx, ticketId, { forUpdate: true }))!
    }
  }
  if (FINAL_STATUSES.includes(ticket.status)) {
    if (internal) throw new ConflictError('ticket_final', 'tickets.internal_note_on_final')
    // The requester's words open the follow-up as its description. Staff's reply is not the
    // requester's request: the follow-up says what it follows, and the reply is its first public
    // comment (mailed as a reply, counted as the first response).
    const staffReply = !requesterSide
    const files = [...(input.followUpAttachmentIds ?? []), ...(input.attachmentIds ?? [])]
    const followUp = await createTicket(trx, ctx, {
      subject: ticket.subject, type: ticket.type_id, categoryId: ticket.category_id,
      ...(staffReply ? { description: await followUpDescription(trx, ticket) } : { description: input.body, descriptionHtml: input.bodyHtml }),
      followUpOfId: ticket.id, inheritedCustomFields: ticket.custom_fields, attachmentIds: files,
      ...(actor.role === 'customer' ? {} : {
        requesterId: ticket.requester_id, priority: ticket.priority, teamId: ticket.team_id, organizationId: ticket.organization_id,
        siteId: ticket.site_id, channel: input.channel,
      }),
    })
    await appendHistory(trx, ctx, { ticketId, action: 'follow_up_created', newValue: { id: followUp.id, number: followUp.number } })
    if (!staffReply) return { commentId: null, ticketId: followUp.id, followUp, duplicate: false }
    // The staged files are now the follow-up's; the staff's own go with their reply.
    const reply = await addComment(trx, ctx, followUp.id, { ...input, followUpAttachmentIds: undefined })
    return { commentId: reply.commentId, ticketId: followUp.id, followUp, duplicate: false }
  }

  // A customer's "@laura@…" is text, not a page to the staff.
  const mentions = actor.role === 'customer' ? [] : await resolveMentions(trx, ticket, input.mentions ?? [], body.text)
  const channel = input.channel ?? (actor.via === 'token' ? 'api' : ctx.via === 'email' ? 'email' : 'web')
  const comment = await trx.insertInto('comments').values({
    ticket_id: ticketId, author_id: actor.via === 'system' && !requesterSide ? null : actor.id, internal, channel,
    body_text: body.text, body_html: body.html, mentions, via_token_id: actor.tokenId ?? null, external_id: input.externalId ?? null,
    created_at: ctx.now,
  }).returning('id').executeTakeFirstOrThrow()
  await claimAttachments(trx, ctx, { ticketId, commentId: comment.id, attachmentIds: input.attachmentIds ?? [], internal })

  const firstResponse = !internal && !requesterSide && actor.role !== 'customer' && !ticket.first_response_at
  await trx.updateTable('tickets').set({ updated_at: ctx.now, ...(firstResponse ? { first_response_at: ctx.now } : {}) })
    .where('id', '=', ticketId).execute()
  await appendHistory(trx, ctx, { ticketId, action: 'comment_added', newValue: { commentId: comment.id, internal }, internal })
  await recordTicketEvent(trx, ctx, ticketId, 'comment.added',
    { number: ticket.number, commentId: comment.id, internal, authorId: actor.id, byRequester: requesterSide, channel, firstResponse })
  if (mentions.length) {
    await recordTicketEvent(trx, ctx, ticketId, 'comment.mentioned', { number: ticket.number, commentId: comment.id, internal, mentionedUserIds: mentions })
  }

  // Status consequences of the reply.
  if (input.status && actor.role !== 'customer') {
    await changeStatus(trx, ctx, ticketId, input.status)
  } else if (!internal && requesterSide && (ticket.status === 'pending' || ticket.status === 'resolved')) {
    await changeStatus(trx, ctx, ticketId, { status: 'open' }, { skipAuthorize: true })
  } else if (!internal && !requesterSide && ticket.status === 'new') {
    await changeStatus(trx, ctx, ticketId, { status: 'open' }, { skipAuthorize: true })
  }
  return { commentId: comment.id, ticketId, followUp: null, duplicate: false }
}

/** What a follow-up opened by staff says it is, in its requester's language. */
async function followUpDescription(trx: Trx, ticket: TicketRow): Promise<string> {
  const locale = (await sql<{ locale: string }>`select locale from users where id = ${ticket.requester_id}`.execute(trx)).rows[0]?.locale ?? 'es'
  return t(locale.startsWith('en') ? 'en' : 'es', 'tickets.follow_up_of', { number: Number(ticket.number), subject: ticket.subject })
}
