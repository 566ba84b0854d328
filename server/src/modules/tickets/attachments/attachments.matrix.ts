import { Readable } from 'node:stream'
import { sql } from 'kysely'
import type { MatrixFixtures, ObjectCase, RoleKey } from '../../../../test/route-matrix.fixtures'
import { storageFor } from '../../../platform/storage/storage'
import { buildTicket } from '../test-support/ticket-factories'

/**
 * Object-level expectations of the attachment routes for the route × role matrix: a file of the
 * customer's ticket in team A is theirs and team A's staff's; a file of an internal note is staff's only.
 */
const SEES_CUSTOMER_TICKET: RoleKey[] = ['customer', 'agent', 'supervisor', 'admin', 'token']
const STAFF_SEEING_TEAM_A: RoleKey[] = ['agent', 'supervisor', 'admin', 'token']

const customerTicket = (f: MatrixFixtures) => buildTicket(f.env.ctx, f.users.admin.id, { requesterId: f.users.customer.id, teamId: f.teamA })

/** An attachment of a comment (public reply or internal note), with its bytes in storage. */
async function attachment(f: MatrixFixtures, opts: { internalNote: boolean }) {
  const ticket = await customerTicket(f)
  const db = f.env.ctx.db
  const comment = (await sql<{ id: string }>`insert into comments (ticket_id, author_id, internal, body_text, body_html)
    values (${ticket.id}, ${f.users.agent.id}, ${opts.internalNote}, 'evidencia', '<p>evidencia</p>') returning id`.execute(db)).rows[0]
  const blob = await storageFor(f.env.ctx).put(Readable.from([Buffer.from('captura de pantalla')]))
  return (await sql<{ id: string }>`insert into attachments (ticket_id, comment_id, sha256, size, filename, content_type, internal, uploaded_by)
    values (${ticket.id}, ${comment.id}, ${blob.sha256}, ${blob.size}, 'captura.txt', 'text/plain; charset=utf-8', ${opts.internalNote}, ${f.users.agent.id})
    returning id`.execute(db)).rows[0].id
}

export const objectCases: ObjectCase[] = [
  {
    route: 'GET /api/v1/tickets/{id}/attachments', name: "the customer's ticket in team A",
    setup: async (f) => ({ params: { id: (await customerTicket(f)).id } }),
    visibleTo: SEES_CUSTOMER_TICKET,
  },
  {
    route: 'GET /api/v1/attachments/{id}', name: "a file of a public reply on the customer's ticket",
    setup: async (f) => ({ params: { id: await attachment(f, { internalNote: false }) } }),
    visibleTo: SEES_CUSTOMER_TICKET,
  },
  {
    route: 'GET /api/v1/attachments/{id}', name: "a file of an internal note on the customer's ticket",
    setup: async (f) => ({ params: { id: await attachment(f, { internalNote: true }) } }),
    visibleTo: STAFF_SEEING_TEAM_A,
  },
]
