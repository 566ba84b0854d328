import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SlaPolicy, SlaTicketFacts } from '../../../../../common/src/sla/sla-policy.types'
import { matchPolicy } from './match-policy'

const policy = (id: string, conditions: SlaPolicy['conditions'], targets: SlaPolicy['targets'] = { urgent: { firstResponseMinutes: 15 }, high: { firstResponseMinutes: 30 }, normal: { firstResponseMinutes: 60 }, low: { firstResponseMinutes: 240 } }): SlaPolicy => ({
  id, name: id, conditions, targets, calendar: 'business', pauseOnHold: false, resolutionStart: 'created', warningPercent: 75,
})

const policies = [
  policy('vip-phone', { tiers: ['gold'], channels: ['phone', 'whatsapp'] }),
  policy('security', { types: ['security_incident'] }),
  policy('portability', { categoryIds: ['cat-portability'] }),
  policy('acme-urgent', { organizationIds: ['org-acme'], priorities: ['urgent', 'high'] }),
  policy('low-only', {}, { low: { firstResponseMinutes: 480 } }),
  policy('catch-all', {}),
]
const ticket = (facts: Partial<SlaTicketFacts>): SlaTicketFacts => ({ categoryIds: [], priority: 'normal', ...facts })
const winner = (facts: Partial<SlaTicketFacts>) => matchPolicy(policies, ticket(facts))?.policy.id ?? null

describe('matchPolicy', () => {
  it('takes the first policy in order whose conditions all hold', () => {
    assert.equal(winner({ tier: 'gold', channel: 'phone', type: 'security_incident' }), 'vip-phone')
    assert.equal(winner({ tier: 'gold', channel: 'email', type: 'security_incident' }), 'security')
    assert.equal(winner({ tier: 'silver', channel: 'phone' }), 'catch-all')
  })

  it('matches a sub-category through its ancestors', () => {
    assert.equal(winner({ categoryIds: ['cat-portability-error', 'cat-portability'] }), 'portability')
    assert.equal(winner({ categoryIds: ['cat-billing'] }), 'catch-all')
  })

  it('matches organization and priority together', () => {
    assert.equal(winner({ organizationId: 'org-acme', priority: 'high' }), 'acme-urgent')
    assert.equal(winner({ organizationId: 'org-acme', priority: 'normal' }), 'catch-all')
    assert.equal(winner({ organizationId: null, priority: 'urgent' }), 'catch-all')
  })

  it('skips a policy without targets for the ticket’s priority, and returns its targets', () => {
    assert.equal(winner({ priority: 'normal' }), 'catch-all')
    assert.deepEqual(matchPolicy(policies, ticket({ priority: 'low' })), { policy: policies[4], targets: { firstResponseMinutes: 480 } })
  })

  it('returns null when nothing applies', () => {
    assert.equal(matchPolicy(policies.slice(0, 4), ticket({ channel: 'email' })), null)
    assert.equal(matchPolicy([], ticket({})), null)
  })

  it('treats empty condition lists as no condition', () => {
    assert.equal(matchPolicy([policy('empty', { channels: [], categoryIds: [] })], ticket({}))?.policy.id, 'empty')
  })
})
