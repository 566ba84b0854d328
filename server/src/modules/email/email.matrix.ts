import crypto from 'node:crypto'
import { sql } from 'kysely'
import nodemailer from 'nodemailer'
import type { MatrixFixtures, ObjectCase, RoleKey } from '../../../test/route-matrix.fixtures'
import { listMailboxRecords } from './mailboxes/mailbox-directory'
import { receiveInbound } from './inbound/receive-inbound'

/**
 * Object-level expectations of the email routes for the route × role matrix: the mail of a
 * customer's ticket in team A is visible to staff who see team A's tickets (the route itself is
 * staff-only); the other team's agent gets 404.
 */
const STAFF_SEEING_TEAM_A: RoleKey[] = ['agent', 'supervisor', 'admin', 'token']

/** A ticket of the team-A customer opened by email, with its inbound message id. */
async function mailedTicket(f: MatrixFixtures): Promise<{ ticketId: string; inboundId: string }> {
  const db = f.env.ctx.db
  const address = `matriz-${crypto.randomBytes(4).toString('hex')}@ayuda.test`
  await sql`insert into mailboxes (address, name, inbound, team_id) values (${address}, 'Matriz', 'smtp', ${f.teamA})`.execute(db)
  const mailbox = (await listMailboxRecords(db)).find((m) => m.address === address)!
  const raw = (await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
    from: f.users.customer.email, to: address, subject: 'Correo para la matriz', text: 'Hola.',
  })).message as Buffer
  const outcome = await receiveInbound(f.env.ctx, { raw, mailbox, source: 'smtp' })
  if (!outcome.ticketId) throw new Error(`matrix email not applied: ${outcome.status}`)
  return { ticketId: outcome.ticketId, inboundId: outcome.id }
}

export const objectCases: ObjectCase[] = [
  {
    route: 'GET /api/v1/tickets/{id}/emails', name: "the mail of the team-A customer's ticket",
    setup: async (f) => ({ params: { id: (await mailedTicket(f)).ticketId } }),
    visibleTo: STAFF_SEEING_TEAM_A,
  },
  {
    route: 'GET /api/v1/tickets/{id}/emails/{messageId}/raw', name: "the original .eml on the team-A customer's ticket",
    setup: async (f) => {
      const { ticketId, inboundId } = await mailedTicket(f)
      return { params: { id: ticketId, messageId: inboundId } }
    },
    visibleTo: STAFF_SEEING_TEAM_A,
  },
]
