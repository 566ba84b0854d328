import type { Actor } from '../../platform/auth/actor'
import type { StoredEvent } from '../../platform/events/events'
import { registerEventFilter } from '../../platform/realtime/realtime'
import type { StatusCode } from '../../../../common/src/tickets/tickets.types'
import { canView, type PolicyTicket } from './tickets.policy'

/**
 * Who may see a ticket, carried in every ticket.* / comment.* event payload as `scope`, so the
 * real-time filter decides per client without a query. Part B: include `scope: eventScope(ticket)`
 * in its ticket events, or customers will not receive them.
 */
export interface EventScope {
  requesterId: string
  organizationId: string | null
  assigneeId: string | null
  teamId: string | null
  orgShares: boolean
  status: StatusCode
}

export function eventScope(t: PolicyTicket): EventScope {
  return {
    requesterId: t.requester_id, organizationId: t.organization_id, assigneeId: t.assignee_id, teamId: t.team_id,
    orgShares: t.org_shares_tickets, status: t.status,
  }
}

function scopeOf(event: StoredEvent): PolicyTicket | null {
  const s = event.payload.scope as EventScope | undefined
  if (!s || !event.ticket_id) return null
  return {
    id: event.ticket_id, requester_id: s.requesterId, organization_id: s.organizationId, assignee_id: s.assigneeId, team_id: s.teamId,
    org_shares_tickets: s.orgShares, status: s.status,
  }
}

const withoutScope = (payload: Record<string, unknown>) => Object.fromEntries(Object.entries(payload).filter(([k]) => k !== 'scope'))

/** What of a ticket event a customer may receive; null hides it. */
function forCustomer(event: StoredEvent): Record<string, unknown> | null {
  const p = event.payload
  if (p.internal === true) return null
  switch (event.type) {
    case 'ticket.created': return { number: p.number, followUpOfId: p.followUpOfId ?? null }
    case 'ticket.status_changed': return { number: p.number, from: p.from, to: p.to }
    case 'ticket.updated': {
      const changes = ((p.changes as Array<{ field: string; internal: boolean }> | undefined) ?? []).filter((c) => !c.internal)
      return changes.length ? { number: p.number, changes: changes.map((c) => ({ field: c.field })) } : null
    }
    case 'comment.added': return { number: p.number, commentId: p.commentId, internal: false }
    default: return null
  }
}

/**
 * Real-time filter for ticket.* and comment.* events: only people who may see the ticket get
 * them; customers never get internal notes, mentions, calls or internal field changes.
 */
export async function filterTicketEvent(actor: Actor, event: StoredEvent): Promise<Record<string, unknown> | null> {
  const ticket = scopeOf(event)
  if (!ticket) return actor.role === 'customer' || (actor.role === 'agent' && actor.ticketScope !== 'all') ? null : withoutScope(event.payload)
  if (!canView(actor, ticket)) return null
  if (actor.role === 'customer') return forCustomer(event)
  return withoutScope(event.payload)
}

registerEventFilter('ticket.', filterTicketEvent)
registerEventFilter('comment.', filterTicketEvent)
