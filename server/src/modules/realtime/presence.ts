import { hasPermission, type Actor } from '../../platform/auth/actor'
import { notify, type Executor } from '../../platform/db/database'
import { NotFoundError } from '../../platform/http/errors'
import { PRESENCE_CHANNEL, registerPresenceFilter } from '../../platform/realtime/realtime'
import { loadTicketHeads } from '../tickets/queries/load-ticket'
import { canView, type PolicyTicket } from '../tickets/tickets.policy'

export type PresenceActivity = 'viewing' | 'replying' | 'left'

/** What a stream receives: who is on which ticket (the web app's collision notice). */
export type Presence = { ticketId: string; userId: string; name: string; activity: PresenceActivity; at: string }

/** What is NOTIFYed: the presence plus the ticket's policy facts, so each instance filters without a query. */
type PresenceNotice = Presence & { ticket: PolicyTicket }

/**
 * Announces that the actor views, replies to or left a ticket, to the streams of staff who may see
 * it (on every instance, through NOTIFY). A ticket the actor may not see answers 404, like the
 * ticket routes. Records no event: presence is ephemeral.
 */
export async function announcePresence(db: Executor, actor: Actor, input: { ticketId: string; activity: PresenceActivity }, now: Date): Promise<void> {
  const head = (await loadTicketHeads(db, [input.ticketId])).get(input.ticketId)
  if (!head || !canView(actor, head)) throw new NotFoundError('tickets.not_found')
  const ticket: PolicyTicket = {
    id: head.id, requester_id: head.requester_id, organization_id: head.organization_id, assignee_id: head.assignee_id,
    team_id: head.team_id, status: head.status, org_shares_tickets: head.org_shares_tickets,
  }
  const notice: PresenceNotice = { ticketId: head.id, userId: actor.id, name: actor.name, activity: input.activity, at: now.toISOString(), ticket }
  await notify(db, PRESENCE_CHANNEL, JSON.stringify(notice))
}

/**
 * Presence reaches staff who may use presence and see the ticket (the policy's canView on the
 * facts carried in the notice); customers never get it. The ticket's facts are not sent on.
 */
export function filterPresence(actor: Actor, notice: Record<string, unknown>): Presence | null {
  const { ticket, ...presence } = notice as unknown as PresenceNotice
  if (!ticket || !hasPermission(actor, 'tickets.presence') || !canView(actor, ticket)) return null
  return presence
}

registerPresenceFilter(filterPresence)
