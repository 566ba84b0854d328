import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../../platform/auth/actor'
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors'
import type { TicketAbilities, StatusCode } from '../../../../common/src/tickets/tickets.types'
import { FINAL_STATUSES } from '../../../../common/src/tickets/tickets.types'

/** The facts about a ticket the policy needs (a subset of the row, plus its organization's sharing flag). */
export interface PolicyTicket {
  id: string
  requester_id: string
  organization_id: string | null
  assignee_id: string | null
  team_id: string | null
  status: StatusCode
  /** Whether the ticket's organization shares tickets among its managers. */
  org_shares_tickets: boolean
}

export type TicketAction =
  | 'view' | 'update' | 'assign' | 'comment' | 'comment_internal' | 'change_status' | 'reopen' | 'close'
  | 'cancel' | 'add_call' | 'link' | 'merge' | 'attach' | 'view_internal'

const isCustomer = (a: Pick<Actor, 'role'>) => a.role === 'customer'

/**
 * The visibility scope as a SQL condition on the tickets table (alias `t` by default), so lists
 * filter in the database: customers their own tickets (plus their organization's when they manage
 * it and it shares tickets); agents all, their teams' or their assigned ones; supervisors and admins all.
 */
export function visibleTicketsWhere(actor: Actor, alias = 't'): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${alias}.${c}`)
  if (actor.role === 'customer') {
    if (actor.orgManager && actor.organizationId) {
      return sql<boolean>`(${col('requester_id')} = ${actor.id} or (${col('organization_id')} = ${actor.organizationId}
        and exists (select 1 from organizations o where o.id = ${actor.organizationId} and o.shares_tickets)))`
    }
    return sql<boolean>`${col('requester_id')} = ${actor.id}`
  }
  if (actor.role === 'agent' && actor.ticketScope === 'teams') {
    const teams = actor.teamIds.length ? actor.teamIds : ['00000000-0000-0000-0000-000000000000']
    return sql<boolean>`(${col('assignee_id')} = ${actor.id} or ${col('team_id')} = any(${teams}::uuid[]))`
  }
  if (actor.role === 'agent' && actor.ticketScope === 'assigned') {
    return sql<boolean>`${col('assignee_id')} = ${actor.id}`
  }
  return sql<boolean>`true`
}

/** Staff whose scope is every ticket (the visibility condition is then `true`). */
export function seesAllTickets(actor: Actor): boolean {
  return actor.role === 'supervisor' || actor.role === 'admin' || (actor.role === 'agent' && actor.ticketScope === 'all')
}

/** What decides which tickets someone may see: a signed-in actor, or a user the system writes to or about. */
export type Viewer = Pick<Actor, 'id' | 'role' | 'organizationId' | 'orgManager' | 'ticketScope' | 'teamIds'>

/** Whether the viewer may see the ticket at all (the same rule as visibleTicketsWhere). */
export function canView(actor: Viewer, t: PolicyTicket): boolean {
  if (isCustomer(actor)) {
    if (t.requester_id === actor.id) return true
    return actor.orgManager && !!actor.organizationId && t.organization_id === actor.organizationId && t.org_shares_tickets
  }
  if (actor.role === 'agent' && actor.ticketScope === 'teams') {
    return t.assignee_id === actor.id || (!!t.team_id && actor.teamIds.includes(t.team_id))
  }
  if (actor.role === 'agent' && actor.ticketScope === 'assigned') return t.assignee_id === actor.id
  return true
}

/**
 * May the actor do `action` on a ticket they can see? Customers reply, attach evidence, edit
 * customer-editable fields, and reopen / confirm / cancel their tickets; staff do everything but
 * act on final (closed, cancelled) tickets, which only take follow-ups.
 */
export function can(actor: Actor, action: TicketAction, t: PolicyTicket): boolean {
  if (!canView(actor, t)) return false
  if (action === 'view') return true
  const final = FINAL_STATUSES.includes(t.status)
  if (isCustomer(actor)) {
    switch (action) {
      case 'comment': return true // on a final ticket the reply opens a follow-up
      case 'attach': return !final
      case 'update': return !final // only customer-editable custom fields; the command checks which
      case 'change_status': return !final
      case 'reopen': case 'close': return t.status === 'resolved'
      case 'cancel': return !final && t.status !== 'resolved'
      default: return false
    }
  }
  switch (action) {
    case 'comment': case 'view_internal': case 'link': return true
    case 'comment_internal': case 'update': case 'assign': case 'change_status': case 'add_call': case 'attach': case 'merge':
      return !final
    case 'reopen': case 'close': return t.status === 'resolved'
    // As the transition table says: a resolved ticket is closed or reopened, not cancelled.
    case 'cancel': return !final && t.status !== 'resolved'
  }
  return false
}

/**
 * Throws 404 when the ticket is invisible to the actor, 409 when the action would be allowed but
 * the ticket is closed or cancelled, 403 when it is not allowed at all.
 */
export function authorize(actor: Actor, action: TicketAction, t: PolicyTicket | null | undefined): asserts t is PolicyTicket {
  if (!t || !canView(actor, t)) throw new NotFoundError('tickets.not_found')
  if (can(actor, action, t)) return
  if (FINAL_STATUSES.includes(t.status) && can(actor, action, { ...t, status: 'open' })) {
    throw new ConflictError('ticket_final', 'tickets.final_ticket')
  }
  throw new ForbiddenError('tickets.forbidden_action', { action })
}

/** Everything the viewer may do with the ticket, for the presenter (the web app never re-derives it). */
export function abilitiesFor(actor: Actor, t: PolicyTicket): TicketAbilities {
  return {
    update: can(actor, 'update', t),
    assign: can(actor, 'assign', t),
    comment: can(actor, 'comment', t),
    commentInternal: can(actor, 'comment_internal', t),
    changeStatus: can(actor, 'change_status', t),
    reopen: can(actor, 'reopen', t),
    close: can(actor, 'close', t),
    cancel: can(actor, 'cancel', t),
    addCall: can(actor, 'add_call', t),
    link: can(actor, 'link', t),
    merge: can(actor, 'merge', t),
    attach: can(actor, 'attach', t),
    viewInternal: can(actor, 'view_internal', t),
  }
}
