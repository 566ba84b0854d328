import { sql } from 'kysely'
import type { MatrixFixtures, ObjectCase, RoleKey } from '../../../../test/route-matrix.fixtures'
import { buildTicket } from '../test-support/ticket-factories'

/**
 * Object-level expectations of the link, merge and broadcast routes for the route × role matrix:
 * tickets of the customer in team A, which the customer, team A's agent, supervisors, admins and
 * the agent's read-only token see; everyone else who is let in gets 404.
 */
const SEES_CUSTOMER_TICKET: RoleKey[] = ['customer', 'agent', 'supervisor', 'admin', 'token']
const STAFF_OF_TEAM_A: RoleKey[] = ['agent', 'supervisor', 'admin']

const customerTicket = (f: MatrixFixtures) => buildTicket(f.env.ctx, f.users.admin.id, { requesterId: f.users.customer.id, teamId: f.teamA })
const otherTeamTicket = (f: MatrixFixtures) => buildTicket(f.env.ctx, f.users.admin.id, { requesterId: f.users.otherCustomer.id, teamId: f.teamB })

async function linked(f: MatrixFixtures, kind: 'related' | 'parent_of') {
  const [a, b] = [await customerTicket(f), await customerTicket(f)]
  const link = (await sql<{ id: string }>`insert into ticket_links (kind, source_id, target_id) values (${kind}, ${a.id}, ${b.id}) returning id`.execute(f.env.ctx.db)).rows[0]
  return { a, b, linkId: link.id }
}

export const objectCases: ObjectCase[] = [
  {
    route: 'GET /api/v1/tickets/{id}/links', name: "the customer's ticket in team A",
    setup: async (f) => ({ params: { id: (await linked(f, 'related')).a.id } }),
    visibleTo: SEES_CUSTOMER_TICKET,
  },
  {
    route: 'POST /api/v1/tickets/{id}/links', name: 'two tickets of team A',
    setup: async (f) => ({ params: { id: (await customerTicket(f)).id }, body: { type: 'related', ticketId: (await customerTicket(f)).id } }),
    visibleTo: STAFF_OF_TEAM_A, okStatus: 201,
  },
  {
    route: 'POST /api/v1/tickets/{id}/links', name: 'a ticket of team A to one of team B',
    setup: async (f) => ({ params: { id: (await customerTicket(f)).id }, body: { type: 'related', ticketId: (await otherTeamTicket(f)).id } }),
    visibleTo: ['supervisor', 'admin'], okStatus: 201,
  },
  {
    route: 'DELETE /api/v1/tickets/{id}/links/{linkId}', name: 'a link between two tickets of team A',
    setup: async (f) => { const l = await linked(f, 'related'); return { params: { id: l.a.id, linkId: l.linkId } } },
    visibleTo: STAFF_OF_TEAM_A,
  },
  {
    route: 'POST /api/v1/tickets/{id}/merge', name: 'a ticket of team A into another',
    setup: async (f) => ({ params: { id: (await customerTicket(f)).id }, body: { targetId: (await customerTicket(f)).id } }),
    visibleTo: STAFF_OF_TEAM_A,
  },
  {
    route: 'POST /api/v1/tickets/{id}/broadcast', name: 'a parent in team A with a child',
    setup: async (f) => ({ params: { id: (await linked(f, 'parent_of')).a.id }, body: { body: 'Servicio restablecido.' } }),
    visibleTo: STAFF_OF_TEAM_A,
  },
]
