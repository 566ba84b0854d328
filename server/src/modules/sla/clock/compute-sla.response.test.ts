import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clock, ev } from '../test-support/clock-helpers'

const FR = { firstResponseMinutes: 60 }

describe('SLA clock: first response ("primera actualización de soporte")', () => {
  it('is met by the first public agent reply', () => {
    const { first } = clock(FR, [ev('2026-03-02 09:00', 'created'), ev('2026-03-02 09:40', 'agent_reply')], '2026-03-02 12:00')
    assert.deepEqual(first, {
      state: 'met', targetMinutes: 60, dueAt: '2026-03-02 10:00', warningAt: null, warning: false,
      metAt: '2026-03-02 09:40', breachedAt: null, elapsedMinutes: 40, remainingMinutes: 20,
    })
  })

  it('is met by an agent status change', () => {
    const { first } = clock(FR, [ev('2026-03-02 09:00', 'created'), ev('2026-03-02 09:30', 'status', { status: 'pending' })], '2026-03-02 12:00')
    assert.equal(first?.state, 'met')
    assert.equal(first?.metAt, '2026-03-02 09:30')
  })

  it('is not met by internal notes, customer replies or system/customer status changes', () => {
    const { first } = clock(FR, [
      ev('2026-03-02 09:00', 'created'),
      ev('2026-03-02 09:10', 'agent_reply', { internal: true }),
      ev('2026-03-02 09:20', 'status', { status: 'open', by: 'system' }),
      ev('2026-03-02 09:30', 'customer_reply'),
      ev('2026-03-02 09:35', 'status', { status: 'open', by: 'agent' }), // no change: not an update
    ], '2026-03-02 09:50')
    assert.deepEqual(first, {
      state: 'running', targetMinutes: 60, dueAt: '2026-03-02 10:00', warningAt: '2026-03-02 09:45', warning: true,
      metAt: null, breachedAt: null, elapsedMinutes: 50, remainingMinutes: 10,
    })
  })

  it('counts only business time: Friday 16:45 + 60 is due Monday 09:45', () => {
    const { first } = clock(FR, [ev('2026-03-06 16:45', 'created')], '2026-03-07 12:00')
    assert.equal(first?.state, 'running')
    assert.equal(first?.dueAt, '2026-03-09 09:45')
    assert.equal(first?.warningAt, '2026-03-09 09:30')
    assert.equal(first?.warning, false)
    assert.equal(first?.elapsedMinutes, 15)
  })

  it('breaches when nobody answers; breachedAt is the deadline and remaining goes negative', () => {
    const { first } = clock(FR, [ev('2026-03-06 16:30', 'created')], '2026-03-09 10:00')
    assert.deepEqual(first, {
      state: 'breached', targetMinutes: 60, dueAt: '2026-03-09 09:30', warningAt: '2026-03-09 09:15', warning: true,
      metAt: null, breachedAt: '2026-03-09 09:30', elapsedMinutes: 90, remainingMinutes: -30,
    })
  })

  it('stays breached after a late reply, recording when it was answered', () => {
    const { first } = clock(FR, [ev('2026-03-02 09:00', 'created'), ev('2026-03-02 10:15', 'agent_reply')], '2026-03-03 12:00')
    assert.equal(first?.state, 'breached')
    assert.equal(first?.breachedAt, '2026-03-02 10:00')
    assert.equal(first?.metAt, '2026-03-02 10:15')
    assert.equal(first?.elapsedMinutes, 75)
  })

  it('is met by a reply exactly at the deadline, and breached once the deadline is reached unanswered', () => {
    assert.equal(clock(FR, [ev('2026-03-02 09:00', 'created'), ev('2026-03-02 10:00', 'agent_reply')], '2026-03-02 11:00').first?.state, 'met')
    const atDue = clock(FR, [ev('2026-03-02 09:00', 'created')], '2026-03-02 10:00').first
    assert.equal(atDue?.state, 'breached')
    assert.equal(atDue?.remainingMinutes, 0)
    assert.equal(clock(FR, [ev('2026-03-02 09:00', 'created')], '2026-03-02 09:59').first?.state, 'running')
  })

  it('rounds minutes down', () => {
    const { first } = clock(FR, [ev('2026-03-02 09:00', 'created')], '2026-03-02 09:30:30')
    assert.equal(first?.elapsedMinutes, 30)
    assert.equal(first?.remainingMinutes, 29)
  })

  it('pauses while the ticket is resolved, closed or cancelled without an agent, and resumes on reopening', () => {
    const events = [ev('2026-03-02 09:00', 'created'), ev('2026-03-02 09:20', 'status', { status: 'cancelled', by: 'customer' })]
    const paused = clock(FR, events, '2026-03-02 12:00').first
    assert.equal(paused?.state, 'paused')
    assert.equal(paused?.dueAt, null)
    assert.equal(paused?.remainingMinutes, 40)
    const resumed = clock(FR, [...events, ev('2026-03-03 09:00', 'status', { status: 'open', by: 'customer' })], '2026-03-03 09:10').first
    assert.equal(resumed?.state, 'running')
    assert.equal(resumed?.dueAt, '2026-03-03 09:40')
  })

  it('uses the warning share given (default 75 %)', () => {
    const { first } = clock(FR, [ev('2026-03-02 09:00', 'created')], '2026-03-02 09:10', { warningPercent: 50 })
    assert.equal(first?.warningAt, '2026-03-02 09:30')
  })

  it('ignores events after now', () => {
    const { first } = clock(FR, [ev('2026-03-02 09:00', 'created'), ev('2026-03-02 09:40', 'agent_reply')], '2026-03-02 09:20')
    assert.equal(first?.state, 'running')
    assert.equal(first?.elapsedMinutes, 20)
  })
})

describe('SLA clock: next response (after each customer reply)', () => {
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: 120 }
  const opening = [
    ev('2026-03-02 09:00', 'created'),
    ev('2026-03-02 09:05', 'customer_reply'), // before the first response: covered by it
    ev('2026-03-02 09:30', 'agent_reply'),
  ]

  it('does not start before the first support update', () => {
    assert.equal(clock(targets, opening.slice(0, 2), '2026-03-02 09:20').next, null)
    assert.equal(clock(targets, opening, '2026-03-02 09:40').next, null)
  })

  it('starts at a customer reply after a support update and is met by the next one', () => {
    const waiting = [...opening, ev('2026-03-02 10:00', 'customer_reply')]
    assert.deepEqual(clock(targets, waiting, '2026-03-02 10:30').next, {
      state: 'running', targetMinutes: 120, dueAt: '2026-03-02 12:00', warningAt: '2026-03-02 11:30', warning: false,
      metAt: null, breachedAt: null, elapsedMinutes: 30, remainingMinutes: 90, cycle: 1,
    })
    const answered = clock(targets, [...waiting, ev('2026-03-02 11:00', 'agent_reply')], '2026-03-02 12:00').next
    assert.equal(answered?.state, 'met')
    assert.equal(answered?.metAt, '2026-03-02 11:00')
  })

  it('opens one cycle per wait: later customer replies do not restart it, and each cycle has its own fate', () => {
    const { next, first } = clock(targets, [
      ...opening,
      ev('2026-03-02 10:00', 'customer_reply'),
      ev('2026-03-02 11:00', 'agent_reply'),
      ev('2026-03-02 11:30', 'customer_reply'),
      ev('2026-03-02 11:45', 'customer_reply'),
    ], '2026-03-02 16:00')
    assert.equal(first?.state, 'met')
    assert.equal(next?.cycle, 2)
    assert.equal(next?.state, 'breached')
    assert.equal(next?.breachedAt, '2026-03-02 13:30')
    assert.equal(next?.elapsedMinutes, 270)
  })
})
