import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import type { CalendarSpec } from '../../../../../common/src/sla/sla.types'
import { SlaInputError } from '../sla.errors'
import { simulate } from './simulate'

const targets = { firstResponseMinutes: 60, resolutionMinutes: 240 }
const created = { at: '2026-03-02T09:00:00-06:00', type: 'created' }

describe('simulate (POST /api/v1/sla/simulate)', () => {
  it('answers both targets in the calendar zone, minutes as integers', () => {
    const result = simulate({
      targets,
      events: [created, { at: '2026-03-02T09:30:00-06:00', type: 'agent_reply' }],
      now: '2026-03-02T10:00:30-06:00',
    })
    assert.deepEqual(result, {
      firstResponse: {
        state: 'met', dueAt: '2026-03-02T10:00:00-06:00', metAt: '2026-03-02T09:30:00-06:00',
        breachedAt: null, elapsedMinutes: 30, remainingMinutes: 30,
      },
      resolution: {
        state: 'running', dueAt: '2026-03-02T13:00:00-06:00', metAt: null,
        breachedAt: null, elapsedMinutes: 60, remainingMinutes: 179,
      },
    })
  })

  it('keeps a first response met before a change of targets as it was met', () => {
    const result = simulate({
      targets,
      events: [created, { at: '2026-03-02T09:50:00-06:00', type: 'agent_reply' },
        { at: '2026-03-02T10:00:00-06:00', type: 'targets', targets: { firstResponseMinutes: 30, resolutionMinutes: 120 } }],
      now: '2026-03-02T10:30:00-06:00',
    })
    assert.deepEqual(result.firstResponse, {
      state: 'met', dueAt: '2026-03-02T10:00:00-06:00', metAt: '2026-03-02T09:50:00-06:00', breachedAt: null, elapsedMinutes: 50, remainingMinutes: 10,
    })
    assert.equal(result.resolution?.dueAt, '2026-03-02T11:00:00-06:00')
  })

  it('uses the default calendar with the statutory rest days of the events’ years when none is given', () => {
    const friday = simulate({ targets, events: [{ at: '2026-03-13T16:30:00-06:00', type: 'created' }], now: '2026-03-13T16:40:00-06:00' })
    assert.equal(friday.firstResponse?.dueAt, '2026-03-17T09:30:00-06:00')
    const inauguration = simulate({ targets, events: [{ at: '2030-09-30T16:30:00-06:00', type: 'created' }], now: '2030-09-30T16:30:00-06:00' })
    assert.equal(inauguration.firstResponse?.dueAt, '2030-10-02T09:30:00-06:00')
    const newYear = simulate({ targets, events: [{ at: '2026-12-31T16:30:00-06:00', type: 'created' }], now: '2026-12-31T16:30:00-06:00' })
    assert.equal(newYear.firstResponse?.dueAt, '2027-01-04T09:30:00-06:00')
  })

  it('takes a calendar from the body and reads offset-less instants in its zone', () => {
    const result = simulate({
      calendar: { timezone: 'America/New_York', hours: { mon: [['09:00', '12:00'], ['13:00', '17:00']] }, holidays: [] },
      targets: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      events: [{ at: '2026-03-02T11:30', type: 'created' }],
      now: '2026-03-02T11:30',
    })
    assert.equal(result.firstResponse?.dueAt, '2026-03-02T13:30:00-05:00')
    // 270 minutes this Monday, the other 210 next Monday, after the switch to daylight time.
    assert.equal(result.resolution?.dueAt, '2026-03-09T13:30:00-04:00')
  })

  it('pauses resolution while pending and honours pauseOnHold and info_complete', () => {
    const events = [
      created,
      { at: '2026-03-02T10:00:00-06:00', type: 'status', status: 'pending' },
      { at: '2026-03-02T11:00:00-06:00', type: 'customer_reply' },
      { at: '2026-03-02T11:00:00-06:00', type: 'status', status: 'on_hold', by: 'system' },
    ]
    const now = '2026-03-02T12:00:00-06:00'
    assert.equal(simulate({ targets, events, now }).resolution?.elapsedMinutes, 120)
    assert.equal(simulate({ targets, events, now, pauseOnHold: true }).resolution?.state, 'paused')
    assert.equal(simulate({ targets, events, now, resolutionStart: 'info_complete' }).resolution?.elapsedMinutes, 60)
  })

  it('resolves built-in calendars by id and others through the context', () => {
    const body = { targets, events: [{ at: '2026-03-07T12:00:00-06:00', type: 'created' }], now: '2026-03-07T12:00:00-06:00' }
    assert.equal(simulate({ ...body, calendarId: '24x7' }).firstResponse?.dueAt, '2026-03-07T13:00:00-06:00')
    assert.equal(simulate({ ...body, calendarId: 'default' }).firstResponse?.dueAt, '2026-03-09T10:00:00-06:00')
    const saturdays: CalendarSpec = { timezone: 'America/Mexico_City', hours: { sat: [['10:00', '14:00']] } }
    const viaContext = simulate({ ...body, calendarId: 'sat' }, { findCalendar: (id) => (id === 'sat' ? saturdays : undefined) })
    assert.equal(viaContext.firstResponse?.dueAt, '2026-03-07T13:00:00-06:00')
  })

  it('takes targets, calendar and options from a policy by id for a priority', () => {
    const policy: SlaPolicy = {
      id: 'p1', name: 'Urgentes 24×7', conditions: {}, calendar: '24x7', pauseOnHold: false,
      resolutionStart: 'created', warningPercent: 75, targets: { urgent: { firstResponseMinutes: 15, resolutionMinutes: 120 } },
    }
    const findPolicy = (id: string) => (id === 'p1' ? policy : undefined)
    const body = { policyId: 'p1', priority: 'urgent', events: [{ at: '2026-03-07T12:00:00-06:00', type: 'created' }], now: '2026-03-07T12:05:00-06:00' }
    const result = simulate(body, { findPolicy })
    assert.equal(result.firstResponse?.dueAt, '2026-03-07T12:15:00-06:00')
    assert.equal(result.resolution?.remainingMinutes, 115)
    assert.deepEqual(issues(() => simulate({ ...body, priority: 'low' }, { findPolicy })), ['priority sla.policy_no_targets'])
    assert.deepEqual(issues(() => simulate({ ...body, policyId: 'nope' }, { findPolicy })), ['policyId sla.policy_not_found'])
  })

  it('uses the injected clock when now is omitted', () => {
    const result = simulate({ targets, events: [created] }, { now: () => new Date('2026-03-02T09:20:00-06:00') })
    assert.equal(result.firstResponse?.elapsedMinutes, 20)
  })
})

describe('simulate: bad input is a 400 naming the field', () => {
  const ok = { targets, events: [created], now: '2026-03-02T10:00:00-06:00' }
  const calendar = (hours: unknown, timezone = 'America/Mexico_City') => ({ ...ok, calendar: { timezone, hours } })

  const cases: [string, unknown, string[]][] = [
    ['unknown time zone', calendar({ mon: [['09:00', '17:00']] }, 'Mexico/Tenochtitlan'), ['calendar.timezone sla.timezone_unknown']],
    ['overlapping intervals', calendar({ mon: [['09:00', '14:00'], ['12:00', '18:00']] }), ['calendar.hours.mon[1] sla.interval_overlap']],
    ['inverted interval', calendar({ mon: [['17:00', '09:00']] }), ['calendar.hours.mon[0] sla.interval_inverted']],
    ['no working time', calendar({}), ['calendar.hours sla.no_working_time']],
    ['half an hour a week and a year-long target (was a 500)', { ...calendar({ sat: [['09:00', '09:30']] }), targets: { ...targets, resolutionMinutes: 525_600 } }, ['calendar.hours sla.too_little_working_time']],
    ['events out of order', { ...ok, events: [created, { at: '2026-03-02T11:00:00-06:00', type: 'agent_reply' }, { at: '2026-03-02T10:00:00-06:00', type: 'customer_reply' }], now: undefined }, ['events[2].at sla.events_order']],
    ['unknown status', { ...ok, events: [created, { at: '2026-03-02T09:10:00-06:00', type: 'status', status: 'waiting' }] }, ['events[1].status sla.status_unknown']],
    ['status event without a status', { ...ok, events: [created, { at: '2026-03-02T09:10:00-06:00', type: 'status' }] }, ['events[1].status sla.required']],
    ['unknown event type', { ...ok, events: [created, { at: '2026-03-02T09:10:00-06:00', type: 'phone_call' }] }, ['events[1].type sla.event_type_unknown']],
    ['first event not created', { ...ok, events: [{ at: '2026-03-02T09:10:00-06:00', type: 'agent_reply' }] }, ['events[0].type sla.events_first_created']],
    ['no events', { ...ok, events: [] }, ['events sla.events_first_created']],
    ['bad instant', { ...ok, events: [{ at: '2 de marzo', type: 'created' }] }, ['events[0].at sla.instant_invalid']],
    ['target zero', { ...ok, targets: { firstResponseMinutes: 0, resolutionMinutes: 240 } }, ['targets.firstResponseMinutes sla.target_positive']],
    ['target negative and fractional', { ...ok, targets: { firstResponseMinutes: 1.5, resolutionMinutes: -5 } }, ['targets.firstResponseMinutes sla.target_positive', 'targets.resolutionMinutes sla.target_positive']],
    ['re-target to zero', { ...ok, events: [created, { at: '2026-03-02T09:10:00-06:00', type: 'targets', targets: { resolutionMinutes: 0 } }] }, ['events[1].targets.resolutionMinutes sla.target_positive']],
    ['missing targets', { events: [created] }, ['targets sla.required']],
    ['now before the events', { ...ok, now: '2026-03-01T10:00:00-06:00' }, ['now sla.now_before_events']],
    ['calendar and calendarId', { ...ok, calendarId: 'default', calendar: { timezone: 'UTC', hours: { mon: [['09:00', '17:00']] } } }, ['calendarId sla.one_of']],
    ['unknown field', { ...ok, tz: 'UTC' }, ['tz sla.unknown_field']],
    ['unknown calendar id', { ...ok, calendarId: 'nope' }, ['calendarId sla.calendar_not_found']],
    ['warning share out of range', { ...ok, warningPercent: 150 }, ['warningPercent sla.percent_range']],
  ]
  for (const [name, body, expected] of cases) {
    it(name, () => assert.deepEqual(issues(() => simulate(body)), expected))
  }

  it('carries es-MX and English messages and status 400', () => {
    try {
      simulate({ ...ok, targets: { firstResponseMinutes: 0, resolutionMinutes: 240 } })
      assert.fail('expected an error')
    } catch (error) {
      assert.ok(error instanceof SlaInputError)
      assert.equal(error.statusCode, 400)
      assert.equal(error.issues[0].message.es, 'El objetivo debe ser un número entero de minutos mayor que 0.')
      assert.equal(error.issues[0].message.en, 'The target must be a whole number of minutes greater than 0.')
    }
  })
})

function issues(run: () => unknown): string[] {
  try {
    run()
  } catch (error) {
    if (error instanceof SlaInputError) return error.issues.map((i) => `${i.field} ${i.code}`)
    throw error
  }
  assert.fail('expected an SlaInputError')
}
