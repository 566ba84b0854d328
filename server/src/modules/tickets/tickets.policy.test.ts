import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Actor } from '../../platform/auth/actor'
import { abilitiesFor, can, canView, type PolicyTicket } from './tickets.policy'

const actor = (over: Partial<Actor>): Actor => ({
  id: 'u1', role: 'agent', name: 'A', email: null, locale: 'es-MX', timezone: 'America/Mexico_City', organizationId: null,
  orgManager: false, ticketScope: 'all', teamIds: [], via: 'session', ...over,
})
const ticket = (over: Partial<PolicyTicket> = {}): PolicyTicket => ({
  id: 't1', requester_id: 'c1', organization_id: 'o1', assignee_id: null, team_id: 'team1', status: 'open', org_shares_tickets: false, ...over,
})

describe('tickets policy', () => {
  it('lets customers see their own tickets, and their organization\'s only as managers of a sharing organization', () => {
    assert.equal(canView(actor({ id: 'c1', role: 'customer' }), ticket()), true)
    assert.equal(canView(actor({ id: 'c2', role: 'customer', organizationId: 'o1' }), ticket({ org_shares_tickets: true })), false)
    assert.equal(canView(actor({ id: 'c2', role: 'customer', organizationId: 'o1', orgManager: true }), ticket({ org_shares_tickets: true })), true)
    assert.equal(canView(actor({ id: 'c2', role: 'customer', organizationId: 'o1', orgManager: true }), ticket()), false)
  })

  it('scopes agents to all, their teams (or assigned) or assigned tickets; supervisors and admins see all', () => {
    assert.equal(canView(actor({}), ticket()), true)
    assert.equal(canView(actor({ ticketScope: 'teams', teamIds: ['team1'] }), ticket()), true)
    assert.equal(canView(actor({ ticketScope: 'teams', teamIds: ['team2'] }), ticket()), false)
    assert.equal(canView(actor({ ticketScope: 'teams', teamIds: [] }), ticket({ assignee_id: 'u1' })), true)
    assert.equal(canView(actor({ ticketScope: 'assigned' }), ticket()), false)
    assert.equal(canView(actor({ ticketScope: 'assigned' }), ticket({ assignee_id: 'u1' })), true)
    assert.equal(canView(actor({ role: 'supervisor', ticketScope: 'assigned' }), ticket()), true)
  })

  it('keeps customers to replies, evidence, their fields, reopen / confirm and cancel', () => {
    const c = actor({ id: 'c1', role: 'customer' })
    assert.equal(can(c, 'comment', ticket()), true)
    assert.equal(can(c, 'comment_internal', ticket()), false)
    assert.equal(can(c, 'view_internal', ticket()), false)
    assert.equal(can(c, 'assign', ticket()), false)
    assert.equal(can(c, 'add_call', ticket()), false)
    assert.equal(can(c, 'reopen', ticket({ status: 'resolved' })), true)
    assert.equal(can(c, 'cancel', ticket({ status: 'resolved' })), false)
    assert.equal(can(c, 'comment', ticket({ status: 'closed' })), true, 'a reply to a closed ticket opens a follow-up')
    assert.equal(can(c, 'attach', ticket({ status: 'closed' })), false)
  })

  it('freezes final tickets for staff except replies (follow-ups) and links', () => {
    const a = actor({})
    const closed = ticket({ status: 'closed' })
    assert.deepEqual(
      Object.entries(abilitiesFor(a, closed)).filter(([, v]) => v).map(([k]) => k).sort(),
      ['comment', 'link', 'viewInternal'],
    )
    assert.equal(can(a, 'view', ticket({ status: 'cancelled' })), true)
  })

  it('offers staff cancelling only where the transition table allows it (not on a resolved ticket)', () => {
    const a = actor({})
    assert.equal(can(a, 'cancel', ticket({ status: 'open' })), true)
    assert.equal(can(a, 'cancel', ticket({ status: 'resolved' })), false)
  })
})
