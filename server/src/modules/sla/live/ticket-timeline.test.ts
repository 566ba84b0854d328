import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import { mx } from '../test-support/clock-helpers'
import { buildTimeline, statusReader, type TimelineHistoryRow, type TimelineTicket } from './ticket-timeline'

const policy = (id: string, conditions: SlaPolicy['conditions'], minutes: number): SlaPolicy => ({
  id, name: id, conditions, calendar: 'business', pauseOnHold: false, resolutionStart: 'created', warningPercent: 75,
  targets: { urgent: { resolutionMinutes: minutes }, high: { resolutionMinutes: minutes }, normal: { resolutionMinutes: minutes }, low: { resolutionMinutes: minutes } },
})
const policies = [policy('billing', { categoryIds: ['cat-billing'] }, 240), policy('urgent', { priorities: ['urgent'] }, 60), policy('rest', {}, 480)]
const ticket = (extra: Partial<TimelineTicket> = {}): TimelineTicket => ({
  createdAt: mx('2026-03-02 09:00'), status: 'open', priority: 'normal', typeCode: 'consulta', categoryId: null, organizationId: null, tier: null,
  channel: 'web', requesterId: 'req', statusChangedAt: mx('2026-03-02 09:00'), firstResponseAt: null, resolvedAt: null, closedAt: null,
  cancelledAt: null, imported: false, ...extra,
})
const row = (at: string, action: string, extra: Partial<TimelineHistoryRow> = {}): TimelineHistoryRow =>
  ({ at: mx(at), action, field: null, oldValue: null, newValue: null, actorId: 'agent', actorRole: 'agent', via: 'web', ...extra })
const input = (t: TimelineTicket, history: TimelineHistoryRow[] = [], comments: Parameters<typeof buildTimeline>[0]['comments'] = []) => ({
  ticket: t, history, comments, policies, categoryPath: (id: string) => (id === 'cat-sub' ? ['cat-sub', 'cat-billing'] : [id]), statusOf: statusReader(new Map([['esperando', 'pending' as const]])),
})

describe('buildTimeline: a ticket\'s rows as SLA clock events', () => {
  it('undoes later changes to find the policy at creation, then re-matches on each change', () => {
    const history = [
      row('2026-03-02 10:00', 'field_changed', { field: 'priority', oldValue: 'normal', newValue: 'urgent' }),
      row('2026-03-02 11:00', 'field_changed', { field: 'category', oldValue: null, newValue: 'cat-sub' }),
      row('2026-03-02 11:30', 'field_changed', { field: 'subject', oldValue: 'a', newValue: 'b' }),
    ]
    const tl = buildTimeline(input(ticket({ priority: 'urgent', categoryId: 'cat-sub' }), history))
    assert.equal(tl.firstPolicy?.id, 'rest')
    assert.deepEqual(tl.initialTargets, { resolutionMinutes: 480 })
    assert.equal(tl.currentPolicy?.id, 'billing') // a sub-category matches its parent's policy, listed first
    assert.deepEqual(tl.events.map((e) => [e.type, e.targets?.resolutionMinutes]), [['created', undefined], ['targets', 60], ['targets', 240]])
  })

  it('maps comments by author and status changes by actor; system comments are left out', () => {
    const tl = buildTimeline(input(ticket(), [
      row('2026-03-02 09:30', 'status_changed', { newValue: { code: 'pending', key: 'esperando' } }),
      row('2026-03-02 10:00', 'status_changed', { newValue: { code: 'open' }, actorId: 'req', actorRole: 'customer' }),
      row('2026-03-02 12:00', 'status_changed', { newValue: { code: 'resolved' }, actorId: null, actorRole: null, via: 'system' }),
    ], [
      { at: mx('2026-03-02 09:30'), authorId: 'agent', authorRole: 'agent', internal: false },
      { at: mx('2026-03-02 09:45'), authorId: 'agent', authorRole: 'agent', internal: true },
      { at: mx('2026-03-02 10:00'), authorId: 'req', authorRole: 'customer', internal: false },
      { at: mx('2026-03-02 11:00'), authorId: null, authorRole: null, internal: false },
    ]))
    assert.deepEqual(tl.events.slice(1).map((e) => [e.type, e.status ?? '', e.by ?? '', e.internal ?? '']), [
      ['agent_reply', '', '', false], ['status', 'pending', 'agent', ''], ['agent_reply', '', '', true],
      ['customer_reply', '', '', ''], ['status', 'open', 'customer', ''], ['status', 'resolved', 'system', ''],
    ])
  })

  it('gives imported tickets without status history the changes their times imply', () => {
    const t = ticket({ imported: true, status: 'closed', resolvedAt: mx('2026-03-03 10:00'), closedAt: mx('2026-03-05 10:00'), firstResponseAt: mx('2026-03-02 09:20') })
    const tl = buildTimeline(input(t, [row('2026-03-10 12:00', 'imported', { via: 'import' })]))
    assert.deepEqual(tl.events.slice(1).map((e) => [e.type, e.status ?? '', new Date(e.at).toISOString()]), [
      ['agent_reply', '', mx('2026-03-02 09:20').toISOString()],
      ['status', 'resolved', mx('2026-03-03 10:00').toISOString()],
      ['status', 'closed', mx('2026-03-05 10:00').toISOString()],
    ])
  })

  it('reads statuses written as codes, custom keys or objects', () => {
    const read = statusReader(new Map([['esperando_cliente', 'pending' as const]]))
    assert.deepEqual([read('on_hold'), read('esperando_cliente'), read({ key: 'esperando_cliente' }), read({ status: 'closed' }), read('otro'), read(3)],
      ['on_hold', 'pending', 'pending', 'closed', null, null])
  })
})
