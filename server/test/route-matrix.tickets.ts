import type { MatrixFixtures, ObjectCase, RoleKey } from './route-matrix.fixtures'
import { createUser } from './harness'
import { buildTicket } from '../src/modules/tickets/test-support/ticket-factories'

/**
 * Ticket visibility in the matrix (issue 2 §6: a ticket one may not see answers 404, not 403).
 * The customer's ticket belongs to organization A and team A: its requester, the agent of team A
 * (ticket scope "teams"), supervisors, admins and the agent's token see it; the customer of
 * organization B and the agent of team B do not. A ticket of another contact of organization A is
 * not the customer's either (they are no organization manager).
 */
const SEES_CUSTOMER_TICKET: RoleKey[] = ['customer', 'agent', 'supervisor', 'admin', 'token']
const SEES_COLLEAGUE_TICKET: RoleKey[] = ['agent', 'supervisor', 'admin', 'token']

async function customerTicket(f: MatrixFixtures) {
  return buildTicket(f.env.ctx, f.users.admin.id, { requesterId: f.users.customer.id, teamId: f.teamA })
}

async function colleagueTicket(f: MatrixFixtures) {
  const colleague = await createUser(f.env.ctx, { role: 'customer', organizationId: f.orgA })
  return buildTicket(f.env.ctx, f.users.admin.id, { requesterId: colleague.id, teamId: f.teamA })
}

const reads = ['GET /api/v1/tickets/{id}', 'GET /api/v1/tickets/{id}/comments', 'GET /api/v1/tickets/{id}/history']

export const objectCases: ObjectCase[] = [
  ...reads.flatMap((route): ObjectCase[] => [
    { route, name: "the customer's ticket in team A", setup: async (f) => ({ params: { id: (await customerTicket(f)).id } }), visibleTo: SEES_CUSTOMER_TICKET },
    { route, name: 'a colleague\'s ticket in organization A', setup: async (f) => ({ params: { id: (await colleagueTicket(f)).id } }), visibleTo: SEES_COLLEAGUE_TICKET },
  ]),
  {
    route: 'GET /api/v1/tickets/by-number/{number}', name: "the customer's ticket in team A",
    setup: async (f) => ({ params: { number: String((await customerTicket(f)).number) } }),
    visibleTo: SEES_CUSTOMER_TICKET,
  },
  {
    route: 'POST /api/v1/tickets/{id}/comments', name: "a reply on the customer's ticket",
    setup: async (f) => ({ params: { id: (await customerTicket(f)).id }, body: { body: 'Gracias, quedo atento.' } }),
    visibleTo: SEES_CUSTOMER_TICKET,
    okStatus: 201,
  },
]
