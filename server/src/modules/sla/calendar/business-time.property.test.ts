import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { WEEKDAYS, type CalendarSpec, type WorkingInterval } from '../../../../../common/src/sla/sla.types'
import { bruteForceMinutes, openByWallClock } from '../test-support/calendar-oracle'
import { addBusinessMinutes, businessMinutesBetween, isOpen } from './business-time'
import { calendar24x7, defaultCalendar } from './mexico-holidays'
import { MIN_WEEKLY_MINUTES } from './validate-calendar'

// Lord Howe shifts by 30 minutes; Santiago switches at midnight (00:00 skipped or 23:00 repeated).
const ZONES = ['America/Mexico_City', 'America/New_York', 'Europe/Madrid', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'UTC']
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

// Interval boundaries on the half hour, avoiding 00:30–04:00 and 23:30, where DST switches make a
// wall time repeat or vanish (there the oracle's "every minute whose wall time is inside" has no
// single contiguous answer). Intervals still cross switches: 00:00–06:00 is 5 or 7 real hours.
const BOUNDARIES = [0, ...Array.from({ length: 39 }, (_, i) => 240 + i * 30), 1440]

const dayArb: fc.Arbitrary<WorkingInterval[]> = fc
  .uniqueArray(fc.constantFrom(...BOUNDARIES), { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b)
    const spans: WorkingInterval[] = []
    for (let i = 0; i + 1 < sorted.length; i += 2) spans.push([hhmm(sorted[i]), hhmm(sorted[i + 1])])
    return spans
  })

const dateArb = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

const calendarArb: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    days: fc.array(dayArb, { minLength: 7, maxLength: 7 }),
    holidays: fc.array(dateArb, { maxLength: 30 }),
  })
  // Only calendars the validator accepts: at least MIN_WEEKLY_MINUTES of working time a week.
  .filter(({ days }) => days.flat().reduce((sum, [from, to]) => sum + minutesOf(to) - minutesOf(from), 0) >= MIN_WEEKLY_MINUTES)
  .map(({ timezone, days, holidays }) => ({
    timezone,
    hours: Object.fromEntries(WEEKDAYS.map((w, i) => [w, days[i]])),
    holidays,
  }))

const anyCalendar = fc.oneof(calendarArb, fc.constant(defaultCalendar([2025, 2026, 2027, 2028])), fc.constant(calendar24x7()))
const instantArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000))
const minutesArb = fc.integer({ min: 0, max: 20_000 })

describe('business calendar arithmetic (property-based)', () => {
  it('adding N business minutes then measuring the span gives N', () => {
    fc.assert(fc.property(anyCalendar, instantArb, minutesArb, (cal, start, n) => {
      assert.equal(businessMinutesBetween(cal, start, addBusinessMinutes(cal, start, n)), n)
    }), { numRuns: 300 })
  })

  it('never lands inside closed time or a holiday (the minute before the result is working time)', () => {
    fc.assert(fc.property(anyCalendar, instantArb, fc.integer({ min: 1, max: 20_000 }), (cal, start, n) => {
      const due = addBusinessMinutes(cal, start, n).getTime()
      assert.ok(isOpen(cal, new Date(due - 1)))
      assert.ok(openByWallClock(cal, due - 1), `wall clock closed just before ${new Date(due).toISOString()}`)
      assert.ok(due > start.getTime())
    }), { numRuns: 300 })
  })

  it('is monotonic in N', () => {
    fc.assert(fc.property(anyCalendar, instantArb, minutesArb, minutesArb, (cal, start, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      assert.ok(addBusinessMinutes(cal, start, lo).getTime() <= addBusinessMinutes(cal, start, hi).getTime())
    }), { numRuns: 300 })
  })

  it('agrees with a minute-by-minute wall-clock count', () => {
    const spanArb = fc.tuple(instantArb, fc.integer({ min: 0, max: 3 * 1440 }))
    fc.assert(fc.property(calendarArb, spanArb, (cal, [start, minutes]) => {
      const a = start.getTime()
      const b = a + minutes * 60_000
      assert.equal(businessMinutesBetween(cal, start, new Date(b)), bruteForceMinutes(cal, a, b))
    }), { numRuns: 50 })
  })
})

describe('daylight saving time (America/New_York)', () => {
  const ny: CalendarSpec = {
    timezone: 'America/New_York',
    hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sun: [['00:00', '06:00']] },
  }
  const switchWindows = [
    ['2026-03-05T00:00:00Z', '2026-03-12T00:00:00Z'], // spring forward, Sunday 8 March 02:00 → 03:00
    ['2026-10-29T00:00:00Z', '2026-11-05T00:00:00Z'], // fall back, Sunday 1 November 02:00 → 01:00
  ].map(([a, b]) => fc.integer({ min: Date.parse(a), max: Date.parse(b) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000)))

  it('counts the real length of the switch days (5 h and 7 h for Sunday 00:00–06:00)', () => {
    assert.equal(businessMinutesBetween(ny, new Date('2026-03-08T05:00:00Z'), new Date('2026-03-08T10:00:00Z')), 300)
    assert.equal(businessMinutesBetween(ny, new Date('2026-11-01T04:00:00Z'), new Date('2026-11-01T11:00:00Z')), 420)
  })

  it('keeps 09:00 local after the switch (13:00 UTC in summer, 14:00 in winter)', () => {
    // Friday 6 March 16:00 EST + 240: 1 h Friday, Sunday 00:00–02:00 EST, then 03:00–04:00 EDT.
    assert.equal(addBusinessMinutes(ny, new Date('2026-03-06T21:00:00Z'), 240).toISOString(), '2026-03-08T08:00:00.000Z')
    // 1 h Friday + Sunday's 5-hour night = 360; one more minute is Monday 09:01 EDT = 13:01 UTC.
    assert.equal(addBusinessMinutes(ny, new Date('2026-03-06T21:00:00Z'), 360).toISOString(), '2026-03-08T10:00:00.000Z')
    assert.equal(addBusinessMinutes(ny, new Date('2026-03-06T21:00:00Z'), 361).toISOString(), '2026-03-09T13:01:00.000Z')
    // Friday 30 October 16:00 EDT + 8 h: 1 h Friday, 7 h of Sunday's long night.
    assert.equal(addBusinessMinutes(ny, new Date('2026-10-30T20:00:00Z'), 480).toISOString(), '2026-11-01T11:00:00.000Z')
    // Then Monday 2 November opens 09:00 EST = 14:00 UTC.
    assert.equal(addBusinessMinutes(ny, new Date('2026-10-30T20:00:00Z'), 481).toISOString(), '2026-11-02T14:01:00.000Z')
  })

  for (const [i, window] of switchWindows.entries()) {
    it(`keeps add/measure, closed-time and monotonic properties across the ${i ? 'autumn' : 'spring'} switch`, () => {
      fc.assert(fc.property(window, fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), (start, a, b) => {
        const due = addBusinessMinutes(ny, start, a)
        assert.equal(businessMinutesBetween(ny, start, due), a)
        assert.ok(openByWallClock(ny, due.getTime() - 1))
        assert.equal(Math.sign(due.getTime() - addBusinessMinutes(ny, start, b).getTime()), Math.sign(a - b))
        const later = start.getTime() + 36 * 3_600_000
        assert.equal(businessMinutesBetween(ny, start, new Date(later)), bruteForceMinutes(ny, start.getTime(), later))
      }), { numRuns: 30 })
    })
  }
})
