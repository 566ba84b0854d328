import { sql } from 'kysely'
import { systemActor, type Actor } from '../../../platform/auth/actor'
import { actorForUser } from '../../../platform/auth/load-actor'
import type { Trx } from '../../../platform/db/database'
import { t } from '../../../platform/i18n/messages'
import { FINAL_STATUSES } from '../../../../../common/src/tickets/tickets.types'
import type { CommandContext } from '../../tickets/history/append-history'
import { can, canView } from '../../tickets/tickets.policy'
import { createTicket, createTickets, type CreateTicketInput } from '../../tickets/commands/create-ticket'
import { addComment } from '../../tickets/commands/add-comment'
import { createContacts, findOrCreateRequester, type NewContact } from '../../tickets/commands/find-or-create-requester'
import { recordAttachments } from '../../tickets/attachments/commands/record-attachments'
import { stageAttachments } from '../../tickets/attachments/commands/stage-attachments'
import { loadTicket, type TicketRow } from '../../tickets/queries/load-ticket'
import { readTicketSettings } from '../../tickets/settings/ticket-settings'
import { withinReopenWindow } from '../../tickets/lifecycle/transitions'
import type { MailboxRecord } from '../mailboxes/mailbox-directory'
import { isDenied, type EmailSettings } from '../email.settings'
import type { InboundStatus } from '../email.tables'
import type { InboundAnalysis } from './analyse-inbound'
import type { MailAddress } from './inbound-message'
import { filesWithinLimits, type StoredInboundFile } from './inbound-files'
import { matchTicket, type KnownSender, type MatchedBy } from './match-ticket'
import { markFailingAddresses } from './sender-guard'

/** What the transaction decided for one inbound message. */
export interface AppliedInbound {
  status: InboundStatus
  ticketId: string | null
  commentId: string | null
  matchedBy: MatchedBy | null
  notify: boolean
  reasons: string[]
}

export interface ApplyInput {
  inboundId: string
  messageKey: string
  mailbox: MailboxRecord
  analysis: InboundAnalysis
  files: StoredInboundFile[]
  envelopeFrom: string | null
  settings: EmailSettings
  secrets: readonly string[]
  ourAddresses: readonly string[]
  /** SPF/DKIM verdict of the inbound MTA (Authentication-Results), when the setting asks for it. */
  senderAuthenticated: boolean
  now: Date
  /** What the claim statement looked up on the way (file-inbound.ts). */
  lookups: InboundLookups
}

/** What the claim statement (file-inbound.ts) looked up for applyInbound, saving it a statement each. */
export interface InboundLookups {
  /** Messages from the sender this hour, this one included (null: not counted). */
  senderCount: number | null
  /** The sender among the users (null: unknown or not looked up: mail that makes no change). */
  sender: { id: string; role: Actor['role']; active: boolean } | null
  /** A ticket the same Message-ID already reached through another of our mailboxes. */
  otherMailboxTicketId: string | null
}

const MAX_WATCHERS = 20

/**
 * Turns one inbound message into its ticket change, inside the caller's transaction: loops,
 * bounces, the deny list and the rate limit stop it; otherwise it is a reply to the ticket it
 * matches (public comment from the requester's side, agent reply with a valid token, or an
 * internal note for anyone else) or a new ticket. Every write goes through the ticket commands.
 */
export async function applyInbound(trx: Trx, input: ApplyInput): Promise<AppliedInbound> {
  const { analysis, settings, now } = input
  const { verdict, message } = analysis
  const result = resultOf(input)

  if (!verdict.createsTicket) {
    if (verdict.kind === 'bounce') {
      await markFailingAddresses(trx, verdict.failedRecipients, input.inboundId, now)
      return result('bounce')
    }
    return result('ignored')
  }
  const from = message.from
  if (!from) return result('ignored', { reasons: ['no_sender'] })
  if (isDenied(from.address, settings.denyList) || (input.envelopeFrom && isDenied(input.envelopeFrom, settings.denyList))) {
    return result('denied', { reasons: ['deny_list'] })
  }
  const refused = refusedByLookups(input)
  if (refused) return result(refused.status, refused)
  const sender = knownUser(trx, input.lookups.sender)

  const match = await matchTicket(trx, analysis, sender, input.secrets)
  const system: CommandContext = { actor: systemActor(), now, via: 'email' }
  if (!match) return createFromMail(trx, input, system, from, sender, result)

  const { ticket } = match
  const person = (await sender?.actor()) ?? null
  if (person && person.role !== 'customer') {
    const tokenOk = analysis.verifiedToken !== null && [match.originalTicketId, ticket.id].includes(analysis.verifiedToken.ticketId)
    const authOk = settings.agentReplyAuth === 'none' || input.senderAuthenticated
    if (tokenOk && authOk && can(person, 'comment', ticket)) return replyAs(trx, input, person, ticket, match.matchedBy, result)
  } else if (person && canView(person, ticket)) {
    return replyAs(trx, input, person, ticket, match.matchedBy, result)
  } else if (person && await isVerifiedFollower(trx, input, person, ticket, match.originalTicketId)) {
    // A follower (CC of the conversation) answering the mail we sent them, with the reply token
    // made for their address: a public reply, as the requester's would be.
    return replyAs(trx, input, person, ticket, match.matchedBy, result, { verifiedFollower: true })
  }
  // Anyone else (a CC'd colleague, an agent address without a valid token, a stranger): agents
  // see it as an internal note; it changes nothing the customer sees, nor the SLA.
  if (FINAL_STATUSES.includes(ticket.status)) return createFromMail(trx, input, system, from, sender, result)
  await attach(trx, input, system, ticket.id, true)
  const header = t('es', 'email.note_from_outsider', { sender: from.name ? `${from.name} <${from.address}>` : from.address })
  const note = await addComment(trx, system, ticket.id, {
    body: `${header}\n\n${bodyOf(input, 0)}`, internal: true, channel: 'email', externalId: input.messageKey,
  })
  return result(note.duplicate ? 'duplicate' : 'note_added', { ticketId: ticket.id, commentId: note.commentId, matchedBy: match.matchedBy })
}

type ResultOf = (status: InboundStatus, extra?: Partial<AppliedInbound>) => AppliedInbound

/** Builds a message's outcome: by default what its loop classification says, no ticket. */
function resultOf({ analysis: { verdict } }: ApplyInput): ResultOf {
  return (status, extra = {}) => ({ status, ticketId: null, commentId: null, matchedBy: null, notify: verdict.mayNotify, reasons: verdict.reasons, ...extra })
}

/**
 * What the claim's lookups decide on their own for mail that may make a change: the sender is
 * over the hourly limit or inactive, or the same message already made its change through
 * another of our mailboxes. Null: the message goes on.
 */
function refusedByLookups({ settings, ourAddresses, analysis, lookups }: ApplyInput): (Partial<AppliedInbound> & { status: InboundStatus }) | null {
  if (settings.senderRateLimitPerHour > 0 && (lookups.senderCount ?? 0) > settings.senderRateLimitPerHour) {
    return { status: 'rate_limited', reasons: ['sender_rate_limit'] }
  }
  if (lookups.sender && !lookups.sender.active) return { status: 'denied', reasons: ['sender_inactive'] }
  if (analysis.message.messageId && ourAddresses.length > 1 && lookups.otherMailboxTicketId) {
    return { status: 'duplicate', ticketId: lookups.otherMailboxTicketId, reasons: ['other_mailbox'] }
  }
  return null
}

/**
 * Whether a message is a plain new request, decided before the database is asked anything: mail
 * from a person (not a loop, not denied) that refers to no ticket (no Message-ID or token of ours,
 * no ticket number in the subject), copies no one who would become a watcher and carries no
 * files. Such messages are filed together (inbound-batches.ts, applyNewRequests).
 */
export function isPlainNewRequest(input: Pick<ApplyInput, 'analysis' | 'settings' | 'ourAddresses' | 'files' | 'envelopeFrom'>): boolean {
  const { verdict, message, thread } = input.analysis
  const from = message.from
  return verdict.createsTicket && from !== null && !isDenied(from.address, input.settings.denyList)
    && !(input.envelopeFrom && isDenied(input.envelopeFrom, input.settings.denyList))
    && thread.referencedMessageIds.length === 0 && thread.ourMessageIds.length === 0 && thread.addressTokens.length === 0
    && thread.subjectNumbers.length === 0 && input.files.length === 0 && watcherAddresses(input, from).length === 0
}

/**
 * applyInbound for plain new requests (isPlainNewRequest), in the caller's transaction: the same
 * checks, then one createTickets for all the tickets, each requester found or created once.
 * Answers in the inputs' order.
 */
export async function applyNewRequests(trx: Trx, inputs: readonly ApplyInput[], now: Date): Promise<AppliedInbound[]> {
  const system: CommandContext = { actor: systemActor(), now, via: 'email' }
  const out: AppliedInbound[] = []
  const toFile: Array<{ index: number; input: ApplyInput; address: string }> = []
  // The requester of each address: a known sender as is; new addresses become contacts together, once each.
  const requesters = new Map<string, string>()
  const newContacts = new Map<string, NewContact>()
  for (const [index, input] of inputs.entries()) {
    const refused = refusedByLookups(input)
    if (refused) {
      out[index] = resultOf(input)(refused.status, refused)
      continue
    }
    const from = input.analysis.message.from!
    const address = from.address.trim().toLowerCase()
    const { sender } = input.lookups
    if (sender) {
      // (Created meanwhile by someone else when an earlier message of the batch found no one.)
      requesters.set(address, sender.id)
      newContacts.delete(address)
    } else if (!requesters.has(address) && !newContacts.has(address)) {
      newContacts.set(address, { name: displayName(from), email: address, phone: null, organizationId: null })
    }
    toFile.push({ index, input, address })
  }
  const created = await createContacts(trx, system, [...newContacts.values()])
  ;[...newContacts.keys()].forEach((address, i) => requesters.set(address, created[i].id))
  const tickets = await createTickets(trx, toFile.map(({ input, address }) => ({ ctx: system, input: newTicketInput(input, requesters.get(address)!, [], []) })))
  for (const [k, { index, input }] of toFile.entries()) out[index] = resultOf(input)('ticket_created', { ticketId: tickets[k].id })
  return out
}

/**
 * Whether a customer who may not see the ticket is one of its followers answering our mail: a
 * watcher of it, whose reply carries the token we made for their address, on a ticket that takes
 * replies (not closed, nor resolved past its window: those would open a follow-up in their name).
 */
async function isVerifiedFollower(trx: Trx, input: ApplyInput, person: Actor, ticket: TicketRow, originalTicketId: string): Promise<boolean> {
  const token = input.analysis.verifiedToken
  if (person.role !== 'customer' || !token || ![originalTicketId, ticket.id].includes(token.ticketId)) return false
  if (await opensFollowUp(trx, ticket, person, input.now)) return false
  return (await sql`select 1 from ticket_watchers where ticket_id = ${ticket.id} and user_id = ${person.id}`.execute(trx)).rows.length > 0
}

/**
 * A reply by the requester's side, a verified agent or a verified follower (`opts`, for addComment;
 * never on a ticket whose reply opens a follow-up): a public comment through addComment.
 */
async function replyAs(trx: Trx, input: ApplyInput, person: Actor, ticket: TicketRow, matchedBy: MatchedBy,
  result: ResultOf, opts: { verifiedFollower?: boolean } = {}): Promise<AppliedInbound> {
  const ctx: CommandContext = { actor: person, now: input.now, via: 'email' }
  if (await opensFollowUp(trx, ticket, person, input.now)) {
    // A reply to a closed ticket (or resolved past the reopen window) opens a linked follow-up
    // (addComment's rule): its files and inline images go with the follow-up's description, not to
    // the old ticket, so a type that requires evidence starts `new` like any ticket filed with files.
    const staged = await stageForNewTicket(trx, input, ctx, person.id)
    const res = await addComment(trx, ctx, ticket.id, {
      body: bodyOf(input, 0), bodyHtml: htmlOf(input), channel: 'email', externalId: input.messageKey, followUpAttachmentIds: staged.map((f) => f.attachmentId),
    })
    if (res.followUp) {
      await rememberContentIds(trx, input, staged)
      return result('follow_up_created', { ticketId: res.followUp.id, matchedBy })
    }
    return result(res.duplicate ? 'duplicate' : 'comment_added', { ticketId: res.ticketId, commentId: res.commentId, matchedBy })
  }
  const files = (await attach(trx, input, ctx, ticket.id, false)).filter((f) => f.byPerson)
  const res = await addComment(trx, ctx, ticket.id, {
    body: bodyOf(input, files.length), bodyHtml: htmlOf(input), channel: 'email', externalId: input.messageKey, attachmentIds: files.map((f) => f.attachmentId),
  }, opts)
  if (res.followUp) return result('follow_up_created', { ticketId: res.followUp.id, matchedBy })
  return result(res.duplicate ? 'duplicate' : 'comment_added', { ticketId: res.ticketId, commentId: res.commentId, matchedBy })
}

/** A new ticket: the sender is the requester (a contact is created if new), CC addresses become watchers. */
async function createFromMail(trx: Trx, input: ApplyInput, system: CommandContext, from: MailAddress, sender: KnownSender | null,
  result: ResultOf): Promise<AppliedInbound> {
  const requester = await requesterOf(trx, system, from, sender)
  const ccs = watcherAddresses(input, from)
  const watcherIds: string[] = []
  const contacts = await usersByEmail(trx, ccs.map((c) => c.address))
  for (const cc of ccs) {
    const contact = contacts.get(cc.address.toLowerCase())
    if (contact && !contact.active) continue
    const id = contact?.id ?? (await findOrCreateRequester(trx, system, { name: displayName(cc), email: cc.address })).id
    if (id !== requester.id && !watcherIds.includes(id)) watcherIds.push(id)
  }
  const staged = await stageForNewTicket(trx, input, system, requester.id)
  const ticket = await createTicket(trx, system, newTicketInput(input, requester.id, watcherIds, staged.map((f) => f.attachmentId)))
  await rememberContentIds(trx, input, staged)
  return result('ticket_created', { ticketId: ticket.id })
}

/**
 * The requester of a new ticket: a known (active) sender as is; only a new address goes through
 * findOrCreateRequester, told that the claim has just looked the address up and found no user.
 */
function requesterOf(trx: Trx, system: CommandContext, from: MailAddress, sender: KnownSender | null): Promise<{ id: string }> {
  if (sender?.active) return Promise.resolve({ id: sender.id })
  return findOrCreateRequester(trx, system, { name: displayName(from), email: from.address }, { emailKnownUnused: sender === null && from.address === from.address.trim() })
}

/**
 * The addresses that become watchers of a new ticket: those in To beside ours (the customer wrote
 * to us and to a colleague) and those in CC; not the sender, never one of ours (a mailbox, with or
 * without a plus tag, or any address of a domain we accept mail for).
 */
function watcherAddresses(input: Pick<ApplyInput, 'analysis' | 'ourAddresses' | 'settings'>, from: MailAddress): MailAddress[] {
  const ours = new Set(input.ourAddresses.map((a) => a.toLowerCase()))
  const ourDomains = new Set(input.settings.acceptedDomains.map((d) => d.toLowerCase()))
  const sender = from.address.toLowerCase()
  const seen = new Set<string>()
  return [...input.analysis.message.to, ...input.analysis.message.cc].filter((c) => {
    const address = c.address.toLowerCase()
    if (address === sender || seen.has(address) || !address.includes('@')) return false
    seen.add(address)
    return !ours.has(address.replace(/\+[^@]*@/, '@')) && !ourDomains.has(address.slice(address.lastIndexOf('@') + 1))
  }).slice(0, MAX_WATCHERS)
}

/**
 * A new ticket's subject without another ticket's tag and the reply prefixes before it ("RE: [#10300]
 * Falla" from someone who is not part of #10300 → "Falla"): its mail carries its own number, and
 * two numbers in one subject would make later replies ambiguous.
 */
function newTicketSubject(subject: string): string {
  if (!/\[#\d+\]/.test(subject)) return subject.trim()
  const cleaned = subject.replace(/\[#\d+\]/g, ' ').replace(/^\s*(?:(?:re|rv|res|fw|fwd)\s*:\s*)+/i, '').replace(/\s+/g, ' ').trim()
  return cleaned || subject.trim()
}

/** What a new ticket from a message is filed with: its subject and visible body, the mailbox's defaults. */
function newTicketInput(input: ApplyInput, requesterId: string, watcherIds: string[], attachmentIds: string[]): CreateTicketInput {
  const { message } = input.analysis
  const { mailbox } = input
  return {
    subject: (newTicketSubject(message.subject) || t('es', 'email.no_subject')).slice(0, 500),
    // Like a reply, a new request is never blank: without text or files it says so.
    description: bodyOf(input, attachmentIds.length) || undefined,
    descriptionHtml: htmlOf(input),
    type: mailbox.typeId ?? undefined,
    categoryId: mailbox.categoryId ?? undefined,
    priority: mailbox.priority ?? undefined,
    teamId: mailbox.teamId ?? undefined,
    channel: 'email',
    requesterId,
    watcherIds,
    attachmentIds,
  }
}

/**
 * Stages the message's files (those within the attachment limits) as uploads of `ownerId` (the new
 * ticket's requester, or the person whose reply opens a follow-up), so createTicket takes them with
 * the ticket (`attachmentIds`) like files sent from the portal: a type that requires evidence then
 * starts `new`, not waiting for the files it already has.
 */
async function stageForNewTicket(trx: Trx, input: ApplyInput, ctx: CommandContext, ownerId: string) {
  if (input.files.length === 0) return []
  const { kept } = await filesWithinLimits(trx, null, input.files)
  const rows = await stageAttachments(trx, { ...ctx, actor: { ...ctx.actor, id: ownerId, tokenId: undefined } }, kept)
  return rows.map((row, i) => ({ attachmentId: row.id, contentId: kept[i].contentId }))
}

/** Which stored file had which Content-ID, for the cid: links of the HTML body. */
async function rememberContentIds(trx: Trx, input: ApplyInput, files: ReadonlyArray<{ attachmentId: string; contentId: string | null }>) {
  for (const f of files) {
    await sql`insert into inbound_message_attachments (inbound_message_id, attachment_id, content_id)
      values (${input.inboundId}, ${f.attachmentId}, ${f.contentId}) on conflict do nothing`.execute(trx)
  }
}

/**
 * Records the message's files as attachments of a ticket through the attachments command (as
 * the person when they may attach, else the system) and remembers which file had which
 * Content-ID, for the cid: links of the HTML body.
 */
async function attach(trx: Trx, input: ApplyInput, ctx: CommandContext, ticketId: string, internal: boolean) {
  if (input.files.length === 0) return []
  const { kept, limits } = await filesWithinLimits(trx, ticketId, input.files)
  if (kept.length === 0) return []
  const ticket = await loadTicket(trx, ticketId)
  const actor = ctx.actor.via !== 'system' && ticket && can(ctx.actor, 'attach', ticket) ? ctx.actor : systemActor()
  const rows = await recordAttachments(trx, { ...ctx, actor }, { ticketId, files: kept, internal, limits })
  const out = rows.map((row, i) => ({ attachmentId: row.id, contentId: kept[i].contentId, byPerson: actor === ctx.actor }))
  await rememberContentIds(trx, input, out)
  return out
}

/**
 * The visible HTML (without quoted history) with its cid: images pointing at the stored files
 * (served per inbound message, so they follow the message to whichever ticket it landed on).
 */
function htmlOf(input: ApplyInput): string | undefined {
  const html = input.analysis.message.visibleHtml
  // Nothing of the writer's own (only history and a signature): the text decides, not the quoted HTML.
  if (!html || !input.analysis.message.visibleText.trim()) return undefined
  return html.replace(/(\ssrc=")cid:([^"]*)"/gi, (_w, prefix: string, cid: string) =>
    `${prefix}/api/v1/email/inbound/${input.inboundId}/cid/${encodeURIComponent(decodeCid(cid))}"`)
}

/**
 * Whether addComment will open a follow-up instead of adding the reply: the ticket is closed or
 * cancelled, or resolved past the reopen window and the reply comes from the requester's side.
 */
async function opensFollowUp(trx: Trx, ticket: TicketRow, person: Actor, now: Date): Promise<boolean> {
  if (FINAL_STATUSES.includes(ticket.status)) return true
  if (ticket.status !== 'resolved' || (person.id !== ticket.requester_id && person.role !== 'customer')) return false
  const settings = await readTicketSettings(trx)
  return !withinReopenWindow(ticket.resolved_at ? new Date(ticket.resolved_at) : null, now, settings.reopenWindowDays)
}

/**
 * The comment text: the reply without quotes and signature. When nothing of the writer's own is
 * left (a reply that is only a photo: "Enviado desde mi iPhone" above the quote), its files are the
 * message and the text is empty; without files the whole text is kept, so a comment is never empty.
 */
function bodyOf(input: ApplyInput, files: number): string {
  const { message } = input.analysis
  const visible = message.visibleText.trim()
  if (visible) return visible
  if (files > 0) return ''
  return message.text.trim() || t('es', 'email.no_body')
}

function displayName(a: MailAddress): string {
  return (a.name.trim() || a.address.split('@')[0]).slice(0, 200)
}

function decodeCid(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/&amp;/g, '&')).trim()
  } catch {
    return raw.trim()
  }
}

/** A looked-up user as a KnownSender; the actor is loaded once, when first asked for. */
function knownUser(trx: Trx, row: { id: string; role: Actor['role']; active: boolean } | null): KnownSender | null {
  if (!row) return null
  let actor: Promise<Actor | null> | null = null
  return { ...row, actor: () => (actor ??= row.active ? personActor(trx, row.id) : Promise.resolve(null)) }
}

/** Users by email address (lower-cased keys), in one query. */
async function usersByEmail(trx: Trx, addresses: string[]): Promise<Map<string, { id: string; active: boolean }>> {
  if (addresses.length === 0) return new Map()
  const rows = (await sql<{ id: string; active: boolean; email: string }>`select distinct on (lower(email)) id, active, lower(email) as email from users
    where lower(email) = any(${addresses.map((a) => a.toLowerCase())}::text[]) order by lower(email), created_at`.execute(trx)).rows
  return new Map(rows.map((r) => [r.email, r]))
}

/**
 * A person acting through their email. Actor.via has no 'email': 'session' marks a person (not
 * the system) so comments and history carry their name; CommandContext.via = 'email' records
 * the channel.
 */
async function personActor(trx: Trx, userId: string): Promise<Actor | null> {
  const actor = await actorForUser(trx, userId)
  return actor ? { ...actor, via: 'session' } : null
}
