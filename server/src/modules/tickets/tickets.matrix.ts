import { sql } from 'kysely'
import type { MatrixFixtures, ObjectCase, RoleKey } from '../../../test/route-matrix.fixtures'
import { buildTicket } from './test-support/ticket-factories'

/**
 * Object-level expectations of the ticket routes for the route × role matrix. The customer's
 * ticket sits in team A: the customer, team A's agent (scope 'teams'), supervisors, admins and
 * the agent's token see it; the other customer and team B's agent get 404, never 403.
 */
const SEES_CUSTOMER_TICKET: RoleKey[] = ['customer', 'agent', 'supervisor', 'admin', 'token']
const WRITERS: RoleKey[] = ['customer', 'agent', 'supervisor', 'admin']
const STAFF_OF_TEAM_A: RoleKey[] = ['agent', 'supervisor', 'admin']

const customerTicket = (f: MatrixFixtures) => buildTicket(f.env.ctx, f.users.admin.id, { requesterId: f.users.customer.id, teamId: f.teamA })
const ticketParams = async (f: MatrixFixtures) => ({ params: { id: (await customerTicket(f)).id } })

async function agentView(f: MatrixFixtures) {
  const row = (await sql<{ id: string }>`insert into ticket_views (name, owner_id, filters) values ('Mía', ${f.users.agent.id}, '{}') returning id`.execute(f.env.ctx.db)).rows[0]
  return { params: { id: row.id } }
}

/**
 * The CSV export has no object in its path: every caller it lets in gets 200, and the customer's
 * ticket in team A is in the file for exactly these callers (route-matrix.test.ts walks it).
 */
export const exportSeesCustomerTicket: RoleKey[] = SEES_CUSTOMER_TICKET
export { customerTicket }

export const objectCases: ObjectCase[] = [
  { route: 'GET /api/v1/tickets/{id}', name: "the customer's ticket in team A", setup: ticketParams, visibleTo: SEES_CUSTOMER_TICKET },
  {
    route: 'GET /api/v1/tickets/by-number/{number}', name: "the customer's ticket in team A, by number",
    setup: async (f) => ({ params: { number: String((await customerTicket(f)).number) } }), visibleTo: SEES_CUSTOMER_TICKET,
  },
  { route: 'GET /api/v1/tickets/{id}/comments', name: "the customer's ticket in team A", setup: ticketParams, visibleTo: SEES_CUSTOMER_TICKET },
  { route: 'GET /api/v1/tickets/{id}/history', name: "the customer's ticket in team A", setup: ticketParams, visibleTo: SEES_CUSTOMER_TICKET },
  {
    route: 'PATCH /api/v1/tickets/{id}', name: "the customer's ticket in team A (no change)",
    setup: async (f) => ({ ...(await ticketParams(f)), body: {} }), visibleTo: WRITERS,
  },
  {
    route: 'POST /api/v1/tickets/{id}/comments', name: "a reply on the customer's ticket in team A",
    setup: async (f) => ({ ...(await ticketParams(f)), body: { body: 'Gracias, seguimos en contacto.' } }), visibleTo: WRITERS, okStatus: 201,
  },
  {
    route: 'POST /api/v1/tickets/{id}/calls', name: "a call about the customer's ticket in team A",
    setup: async (f) => ({ ...(await ticketParams(f)), body: { callId: 'MX-1' } }), visibleTo: STAFF_OF_TEAM_A, okStatus: 201,
  },
  {
    route: 'PATCH /api/v1/ticket-views/{id}', name: "the agent's personal view",
    setup: async (f) => ({ ...(await agentView(f)), body: { name: 'Renombrada' } }), visibleTo: ['agent'],
  },
  { route: 'DELETE /api/v1/ticket-views/{id}', name: "the agent's personal view", setup: agentView, visibleTo: ['agent'] },
]
