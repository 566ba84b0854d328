import type { RawBuilder } from 'kysely'
import type { Actor } from '../../platform/auth/actor'
import type { Executor, Trx } from '../../platform/db/database'
import { ValidationError } from '../../platform/http/errors'
import type { CommandContext } from './history/append-history'

/**
 * Extension points for part B (attachments): a comment claims files uploaded to its ticket
 * beforehand (POST /api/v1/tickets/:id/attachments), and presented comments list them.
 */
export interface AttachmentClaim { ticketId: string; commentId: string; attachmentIds: string[]; internal: boolean }
export type AttachmentClaimer = (trx: Trx, ctx: CommandContext, claim: AttachmentClaim) => Promise<void>

let claimer: AttachmentClaimer | null = null

/** Registered once by the attachments module. */
export function registerAttachmentClaimer(fn: AttachmentClaimer) {
  claimer = fn
}

/** Called by addComment in its transaction; without a registered claimer, attachments are refused. */
export async function claimAttachments(trx: Trx, ctx: CommandContext, claim: AttachmentClaim) {
  if (claim.attachmentIds.length === 0) return
  if (!claimer) throw new ValidationError('tickets.attachments_unsupported', {}, [{ field: 'attachmentIds', rule: 'unsupported' }])
  await claimer(trx, ctx, claim)
}

/** Files uploaded before the ticket existed (POST /api/v1/attachments), claimed by a new ticket. */
export interface NewTicketAttachmentClaim { ticketId: string; attachmentIds: string[] }
export type NewTicketAttachmentClaimer = (trx: Trx, ctx: CommandContext, claim: NewTicketAttachmentClaim) => Promise<number>

let newTicketClaimer: NewTicketAttachmentClaimer | null = null

/** Registered once by the attachments module. */
export function registerNewTicketAttachmentClaimer(fn: NewTicketAttachmentClaimer) {
  newTicketClaimer = fn
}

/** Called by createTicket in its transaction when `attachmentIds` are given; returns how many files it took. */
export async function claimNewTicketAttachments(trx: Trx, ctx: CommandContext, claim: NewTicketAttachmentClaim): Promise<number> {
  if (claim.attachmentIds.length === 0) return 0
  if (!newTicketClaimer) throw new ValidationError('tickets.attachments_unsupported', {}, [{ field: 'attachmentIds', rule: 'unsupported' }])
  return newTicketClaimer(trx, ctx, claim)
}

/** Lists the attachments of comments (already filtered for the viewer) by comment id. */
export type CommentAttachmentsLoader = (db: Executor, actor: Actor, commentIds: string[]) => Promise<Map<string, Array<Record<string, unknown>>>>

let attachmentsLoader: CommentAttachmentsLoader | null = null

/** Registered once by the attachments module; comments then carry `attachments`. */
export function registerCommentAttachmentsLoader(fn: CommentAttachmentsLoader) {
  attachmentsLoader = fn
}

/** The attachments per comment, or null when no attachments module is installed. */
export async function loadCommentAttachments(db: Executor, actor: Actor, commentIds: string[]) {
  return attachmentsLoader && commentIds.length ? attachmentsLoader(db, actor, commentIds) : null
}

/**
 * Extension points for other modules (the SLA engine first): listeners told of every ticket
 * change inside the command's transaction, extra fields on presented tickets, and extra list
 * filters and sorts.
 */

/** A ticket event just recorded in the outbox by a ticket command (same transaction). */
export interface TicketChange { ticketId: string; type: string; payload: Record<string, unknown> }
/** A change and the command it came from. */
export interface TicketChangeOf { ctx: CommandContext; change: TicketChange }
/** Told of one command's change, or of a batch of creates' changes at once. */
export type TicketChangeListener = (trx: Trx, changes: readonly TicketChangeOf[]) => Promise<void>

const changeListeners: TicketChangeListener[] = []

/** Registered at import time; runs after each ticket.* / comment.* event, before the command returns. */
export function registerTicketChangeListener(fn: TicketChangeListener) {
  changeListeners.push(fn)
}

/** Called by recordTicketEvents: lets listeners update their own rows in the same transaction. */
export async function ticketsChanged(trx: Trx, changes: readonly TicketChangeOf[]) {
  if (changes.length === 0) return
  for (const fn of changeListeners) await fn(trx, changes)
}

/** A category moved in the tree (its path and its sub-categories' paths changed), same transaction. */
export type CategoryMovedListener = (trx: Trx, change: { categoryId: string; now: Date }) => Promise<void>

const categoryListeners: CategoryMovedListener[] = []

/** Registered at import time, e.g. by the SLA engine (policies match a category through its ancestors). */
export function registerCategoryMovedListener(fn: CategoryMovedListener) {
  categoryListeners.push(fn)
}

/** Called by the category admin route after re-parenting a category. */
export async function categoryMoved(trx: Trx, change: { categoryId: string; now: Date }) {
  for (const fn of categoryListeners) await fn(trx, change)
}

/** Names what of another module still uses a category (e.g. SLA policies matching it); empty when nothing does. */
export type CategoryUsers = (trx: Trx, categoryId: string) => Promise<string[]>

const categoryUsers: CategoryUsers[] = []

/** Registered at import time by modules whose configuration names categories. */
export function registerCategoryUsers(fn: CategoryUsers) {
  categoryUsers.push(fn)
}

/** What still uses a category, for the category admin route to refuse deleting it. */
export async function usersOfCategory(trx: Trx, categoryId: string): Promise<string[]> {
  return (await Promise.all(categoryUsers.map((fn) => fn(trx, categoryId)))).flat()
}

/** A name in both languages, for a refusal in the caller's (e.g. `el buzón «soporte@…»` / `the mailbox "soporte@…"`). */
export interface NamedUser { es: string; en: string }

/** Names what of another module files new tickets with a type or category as its default (e.g. a mailbox); empty when nothing does. */
export type DefaultsUsers = (trx: Trx, ref: { typeId: string } | { categoryId: string }) => Promise<NamedUser[]>

const defaultsUsers: DefaultsUsers[] = []

/** Registered at import time by modules whose configuration gives new tickets a type or category. */
export function registerDefaultsUsers(fn: DefaultsUsers) {
  defaultsUsers.push(fn)
}

/** What still takes a type or category as its default, for the admin routes to refuse deleting it (409 naming them). */
export async function usersOfDefaults(trx: Trx, ref: { typeId: string } | { categoryId: string }): Promise<NamedUser[]> {
  return (await Promise.all(defaultsUsers.map((fn) => fn(trx, ref)))).flat()
}

/** Extra fields for presented tickets (detail and list items), loaded for a whole page at once. */
export type TicketFieldsLoader = (db: Executor, actor: Actor, ticketIds: string[], now: Date) => Promise<Map<string, Record<string, unknown>>>

const fieldLoaders: TicketFieldsLoader[] = []

/** Registered once per module; its fields must also be declared in tickets.schemas.ts (Ticket, TicketListItem). */
export function registerTicketFieldsLoader(fn: TicketFieldsLoader) {
  fieldLoaders.push(fn)
}

/** The extra fields of some tickets for one viewer, by ticket id. */
export async function loadExtraTicketFields(db: Executor, actor: Actor, ticketIds: string[], now: Date) {
  const out = new Map<string, Record<string, unknown>>()
  if (!ticketIds.length) return out
  for (const load of fieldLoaders) {
    for (const [id, fields] of await load(db, actor, ticketIds, now)) out.set(id, { ...(out.get(id) ?? {}), ...fields })
  }
  return out
}

/** A table a list may join on tickets `t` (one row per ticket), under `alias`. */
export interface TicketListJoin { alias: string; sql: RawBuilder<unknown> }

/** A list filter of another module, e.g. `sla=due_today`. */
export interface TicketListFilter {
  join?: TicketListJoin
  /** `alias` is the join's alias when the query joined it, else null: then write a self-contained condition on `t`. */
  condition(values: string[], env: { actor: Actor; now: Date; alias: string | null }): RawBuilder<boolean>
  /** Sort used when this filter is given and the request names none. */
  defaultSort?: string
}

/** A list sort of another module, e.g. `sort=sla_due`: a joined column, ascending. */
export interface TicketListSort { join: TicketListJoin; column: string; kind: 'timestamp' | 'int' }

const listFilters = new Map<string, TicketListFilter>()
const listSorts = new Map<string, TicketListSort>()

/** The key must also be in FILTER_KEYS / ListQuery (tickets.schemas.ts). */
export function registerTicketListFilter(key: string, filter: TicketListFilter) {
  listFilters.set(key, filter)
}

/** The key must also be in TICKET_SORTS. */
export function registerTicketListSort(key: string, sort: TicketListSort) {
  listSorts.set(key, sort)
}

export const ticketListFilters = (): ReadonlyMap<string, TicketListFilter> => listFilters
export const ticketListSort = (key: string): TicketListSort | undefined => listSorts.get(key)
