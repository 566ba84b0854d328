import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CalendarSpec } from '../../../../../common/src/sla/sla.types'
import { addBusinessMinutes, businessMinutesBetween, isOpen, nextOpening } from './business-time'
import { calendar24x7, defaultCalendar } from './mexico-holidays'

const mx = defaultCalendar([2026])
const at = (iso: string) => new Date(iso)
const iso = (d: Date) => d.toISOString()

describe('business calendar arithmetic (default calendar, Mexico City, UTC-6)', () => {
  it('counts only inside 09:00–17:00 on working days', () => {
    // Friday 2026-03-06 16:30 local + 60 min → Monday 2026-03-09 09:30 local.
    assert.equal(iso(addBusinessMinutes(mx, at('2026-03-06T16:30:00-06:00'), 60)), '2026-03-09T15:30:00.000Z')
    assert.equal(businessMinutesBetween(mx, at('2026-03-06T16:30:00-06:00'), at('2026-03-09T09:30:00-06:00')), 60)
  })

  it('skips statutory holidays (third Monday of March 2026 is the 16th)', () => {
    assert.equal(iso(addBusinessMinutes(mx, at('2026-03-13T16:30:00-06:00'), 60)), '2026-03-17T15:30:00.000Z')
    assert.equal(isOpen(mx, at('2026-03-16T10:00:00-06:00')), false)
  })

  it('is due at closing time when a span ends exactly there, not at the next opening', () => {
    assert.equal(iso(addBusinessMinutes(mx, at('2026-03-09T09:00:00-06:00'), 480)), '2026-03-09T23:00:00.000Z')
  })

  it('starts from the next opening when the start is in closed time', () => {
    assert.equal(iso(addBusinessMinutes(mx, at('2026-03-07T12:00:00-06:00'), 30)), '2026-03-09T15:30:00.000Z')
    assert.equal(businessMinutesBetween(mx, at('2026-03-07T12:00:00-06:00'), at('2026-03-08T12:00:00-06:00')), 0)
  })

  it('returns the start itself for zero minutes and refuses negative ones', () => {
    assert.equal(iso(addBusinessMinutes(mx, at('2026-03-07T12:00:00-06:00'), 0)), '2026-03-07T18:00:00.000Z')
    assert.throws(() => addBusinessMinutes(mx, at('2026-03-07T12:00:00-06:00'), -1), RangeError)
  })

  it('measures negative spans when b is before a', () => {
    assert.equal(businessMinutesBetween(mx, at('2026-03-09T10:00:00-06:00'), at('2026-03-09T09:00:00-06:00')), -60)
  })

  it('treats interval starts as open and ends as closed', () => {
    assert.equal(isOpen(mx, at('2026-03-09T09:00:00-06:00')), true)
    assert.equal(isOpen(mx, at('2026-03-09T16:59:59-06:00')), true)
    assert.equal(isOpen(mx, at('2026-03-09T17:00:00-06:00')), false)
    assert.equal(iso(nextOpening(mx, at('2026-03-09T17:00:00-06:00'))), '2026-03-10T15:00:00.000Z')
    assert.equal(iso(nextOpening(mx, at('2026-03-09T10:00:00-06:00'))), '2026-03-09T16:00:00.000Z')
  })

  it('handles several intervals a day and Monday–Saturday calendars', () => {
    const split: CalendarSpec = {
      timezone: 'America/Mexico_City',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['09:00', '14:00'], ['15:00', '18:00']]])),
    }
    assert.equal(iso(addBusinessMinutes(split, at('2026-03-09T13:30:00-06:00'), 60)), '2026-03-09T21:30:00.000Z')
    assert.equal(isOpen(split, at('2026-03-09T14:30:00-06:00')), false)
    // Saturday 17:30 + 60 → Monday 09:30 (Sunday closed).
    assert.equal(iso(addBusinessMinutes(split, at('2026-03-14T17:30:00-06:00'), 60)), '2026-03-16T15:30:00.000Z')
    assert.equal(businessMinutesBetween(split, at('2026-03-09T00:00:00-06:00'), at('2026-03-10T00:00:00-06:00')), 480)
  })

  it('crosses years, including holidays of the next year when listed', () => {
    const cal = defaultCalendar([2026, 2027])
    // Thursday 2026-12-31 16:00 + 120 → 2027-01-01 is a holiday (Friday) → Monday 2027-01-04 10:00.
    assert.equal(iso(addBusinessMinutes(cal, at('2026-12-31T16:00:00-06:00'), 120)), '2027-01-04T16:00:00.000Z')
  })
})

describe('24×7 calendar', () => {
  it('makes business time equal real time', () => {
    const cal = calendar24x7()
    assert.equal(iso(addBusinessMinutes(cal, at('2026-03-14T23:30:00Z'), 90)), '2026-03-15T01:00:00.000Z')
    assert.equal(businessMinutesBetween(cal, at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')), 1440)
    assert.equal(isOpen(cal, at('2026-12-25T03:00:00Z')), true)
  })
})

describe('intervals ending at midnight', () => {
  const night: CalendarSpec = {
    timezone: 'America/Mexico_City',
    hours: { mon: [['18:00', '24:00']], tue: [['00:00', '02:00']], fri: [['20:00', '24:00']] },
  }

  it('runs on across midnight into the next day', () => {
    assert.equal(iso(addBusinessMinutes(night, at('2026-03-09T23:30:00-06:00'), 60)), '2026-03-10T06:30:00.000Z')
    assert.equal(businessMinutesBetween(night, at('2026-03-09T18:00:00-06:00'), at('2026-03-10T02:00:00-06:00')), 480)
    assert.equal(isOpen(night, at('2026-03-09T23:59:00-06:00')), true)
  })

  it('is due at midnight itself when the span ends there', () => {
    // Friday 23:00 + 60 → Saturday 00:00 (the end of Friday's interval), not next Monday.
    assert.equal(iso(addBusinessMinutes(night, at('2026-03-13T23:00:00-06:00'), 60)), '2026-03-14T06:00:00.000Z')
    assert.equal(isOpen(night, at('2026-03-14T00:00:00-06:00')), false)
    // One more minute waits for Monday 18:00.
    assert.equal(iso(addBusinessMinutes(night, at('2026-03-13T23:00:00-06:00'), 61)), '2026-03-17T00:01:00.000Z')
  })
})
