import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clock, ev } from '../test-support/clock-helpers'

const RES = { resolutionMinutes: 240 }
const created = ev('2026-03-02 09:00', 'created')
const status = (at: string, to: 'new' | 'open' | 'pending' | 'on_hold' | 'resolved' | 'closed' | 'cancelled', by: 'agent' | 'customer' | 'system' = 'agent') =>
  ev(at, 'status', { status: to, by })

describe('SLA clock: resolution', () => {
  it('runs in new and open', () => {
    const { resolution } = clock(RES, [created, status('2026-03-02 09:30', 'open')], '2026-03-02 10:00')
    assert.deepEqual(resolution, {
      state: 'running', targetMinutes: 240, dueAt: '2026-03-02 13:00', warningAt: '2026-03-02 12:00', warning: false,
      metAt: null, breachedAt: null, elapsedMinutes: 60, remainingMinutes: 180,
    })
  })

  it('never counts while pending (dueAt null) and resumes from the time spent', () => {
    const events = [created, status('2026-03-02 10:00', 'pending')]
    assert.deepEqual(clock(RES, events, '2026-03-02 12:00').resolution, {
      state: 'paused', targetMinutes: 240, dueAt: null, warningAt: null, warning: false,
      metAt: null, breachedAt: null, elapsedMinutes: 60, remainingMinutes: 180,
    })
    const resumed = clock(RES, [...events, status('2026-03-02 13:00', 'open', 'customer')], '2026-03-02 14:00').resolution
    assert.equal(resumed?.state, 'running')
    assert.equal(resumed?.elapsedMinutes, 120)
    assert.equal(resumed?.dueAt, '2026-03-02 16:00')
  })

  it('counts on_hold by default, not with pauseOnHold', () => {
    const events = [created, status('2026-03-02 10:00', 'on_hold')]
    assert.equal(clock(RES, events, '2026-03-02 12:00').resolution?.elapsedMinutes, 180)
    const paused = clock(RES, events, '2026-03-02 12:00', { pauseOnHold: true }).resolution
    assert.equal(paused?.state, 'paused')
    assert.equal(paused?.elapsedMinutes, 60)
  })

  it('is met on resolved; reopening resumes the same clock; closing keeps it met', () => {
    const solved = [created, status('2026-03-02 09:10', 'open'), status('2026-03-02 11:00', 'resolved')]
    const met = clock(RES, solved, '2026-03-03 09:00').resolution
    assert.equal(met?.state, 'met')
    assert.equal(met?.metAt, '2026-03-02 11:00')
    assert.equal(met?.elapsedMinutes, 120)
    assert.equal(met?.dueAt, '2026-03-02 13:00')

    const reopened = [...solved, status('2026-03-03 09:00', 'open', 'customer')]
    const running = clock(RES, reopened, '2026-03-03 10:00').resolution
    assert.equal(running?.state, 'running')
    assert.equal(running?.metAt, null)
    assert.equal(running?.elapsedMinutes, 180)
    assert.equal(running?.dueAt, '2026-03-03 11:00')

    const again = [...reopened, status('2026-03-03 10:30', 'resolved'), status('2026-03-03 12:00', 'closed', 'system')]
    const closed = clock(RES, again, '2026-03-04 12:00').resolution
    assert.equal(closed?.state, 'met')
    assert.equal(closed?.metAt, '2026-03-03 10:30')
    assert.equal(closed?.elapsedMinutes, 210)
  })

  it('breaches once the counting time passes the target, even across reopenings', () => {
    const { resolution } = clock(RES, [
      created, status('2026-03-02 12:00', 'resolved'), status('2026-03-03 09:00', 'open', 'customer'),
    ], '2026-03-03 12:00')
    assert.equal(resolution?.state, 'breached')
    assert.equal(resolution?.breachedAt, '2026-03-03 10:00')
    assert.equal(resolution?.remainingMinutes, -120)
  })

  it('stops on cancelled without being met', () => {
    const { resolution } = clock(RES, [created, status('2026-03-02 10:00', 'cancelled')], '2026-03-03 10:00')
    assert.equal(resolution?.state, 'paused')
    assert.equal(resolution?.metAt, null)
    assert.equal(resolution?.elapsedMinutes, 60)
  })

  it('with resolutionStart info_complete, ignores the time before a first change to pending', () => {
    const events = [created, status('2026-03-02 11:00', 'pending'), status('2026-03-02 13:00', 'open', 'customer')]
    assert.equal(clock(RES, events, '2026-03-02 15:00', { resolutionStart: 'info_complete' }).resolution?.elapsedMinutes, 120)
    assert.equal(clock(RES, events, '2026-03-02 15:00', { resolutionStart: 'created' }).resolution?.elapsedMinutes, 240)
    assert.equal(clock(RES, events, '2026-03-02 15:00').resolution?.state, 'breached')
    // Before the change is known, the clock runs from creation.
    assert.equal(clock(RES, events, '2026-03-02 10:00', { resolutionStart: 'info_complete' }).resolution?.elapsedMinutes, 60)
  })

  it('with info_complete, counts from creation when the first change is not to pending', () => {
    const events = [created, status('2026-03-02 11:00', 'open'), status('2026-03-02 12:00', 'pending'), status('2026-03-02 13:00', 'open')]
    assert.equal(clock(RES, events, '2026-03-02 14:00', { resolutionStart: 'info_complete' }).resolution?.elapsedMinutes, 240)
  })
})

describe('SLA clock: re-targeting (priority, category or type changed)', () => {
  it('keeps the time spent and moves the deadline', () => {
    const { resolution, first } = clock({ firstResponseMinutes: 60, resolutionMinutes: 480 }, [
      created,
      ev('2026-03-02 09:30', 'targets', { targets: { firstResponseMinutes: 120, resolutionMinutes: 480 } }),
      ev('2026-03-02 11:00', 'targets', { targets: { firstResponseMinutes: 120, resolutionMinutes: 240 } }),
    ], '2026-03-02 11:30')
    assert.equal(first?.dueAt, '2026-03-02 11:00')
    assert.equal(first?.state, 'breached')
    assert.equal(resolution?.elapsedMinutes, 150)
    assert.equal(resolution?.targetMinutes, 240)
    assert.equal(resolution?.dueAt, '2026-03-02 13:00')
    assert.equal(resolution?.warning, false)
    assert.equal(resolution?.warningAt, '2026-03-02 12:00')
  })

  it('breaches at the change when the new target is already used up', () => {
    const { resolution } = clock(RES, [created, ev('2026-03-02 11:00', 'targets', { targets: { resolutionMinutes: 60 } })], '2026-03-02 11:30')
    assert.equal(resolution?.state, 'breached')
    assert.equal(resolution?.breachedAt, '2026-03-02 11:00')
    assert.equal(resolution?.warningAt, '2026-03-02 11:00')
  })

  it('leaves a met target as it was met: its target, due time and remaining time', () => {
    const events = [created, ev('2026-03-02 09:50', 'agent_reply'), ev('2026-03-02 10:00', 'targets', { targets: { firstResponseMinutes: 30, resolutionMinutes: 120 } })]
    const { first, resolution } = clock({ firstResponseMinutes: 60, resolutionMinutes: 240 }, events, '2026-03-02 10:30')
    assert.deepEqual([first?.state, first?.targetMinutes, first?.dueAt, first?.metAt, first?.remainingMinutes, first?.breachedAt],
      ['met', 60, '2026-03-02 10:00', '2026-03-02 09:50', 10, null])
    assert.deepEqual([resolution?.targetMinutes, resolution?.dueAt], [120, '2026-03-02 11:00'], 'the running target follows the change')
  })

  it('applies targets changed while resolved when the ticket is reopened', () => {
    const { resolution } = clock(RES, [
      created, status('2026-03-02 10:00', 'resolved'),
      ev('2026-03-02 11:00', 'targets', { targets: { resolutionMinutes: 90 } }),
      status('2026-03-02 12:00', 'open', 'customer'),
    ], '2026-03-02 12:10')
    assert.deepEqual([resolution?.state, resolution?.targetMinutes, resolution?.elapsedMinutes, resolution?.dueAt], ['running', 90, 70, '2026-03-02 12:30'])
    const met = clock(RES, [created, status('2026-03-02 10:00', 'resolved'), ev('2026-03-02 11:00', 'targets', { targets: { resolutionMinutes: 30 } })], '2026-03-02 12:00')
    assert.deepEqual([met.resolution?.state, met.resolution?.targetMinutes, met.resolution?.dueAt], ['met', 240, '2026-03-02 13:00'])
  })

  it('starts tracking a target that appears, with the time already spent', () => {
    const { first } = clock({}, [created, ev('2026-03-02 09:30', 'targets', { targets: { firstResponseMinutes: 45 } })], '2026-03-02 09:40')
    assert.equal(first?.elapsedMinutes, 40)
    assert.equal(first?.dueAt, '2026-03-02 09:45')
    assert.equal(clock({}, [created], '2026-03-02 09:40').first, null)
  })
})
