import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { validateCalendar } from './validate-calendar'
import { addBusinessMinutes, compileCalendar } from './business-time'
import { SlaInputError } from '../sla.errors'

const base = { timezone: 'America/Mexico_City', hours: { mon: [['09:00', '17:00']] } }
const fields = (input: unknown) => validateCalendar(input).map((i) => `${i.field} ${i.code}`)

describe('validateCalendar', () => {
  it('accepts a valid calendar, several intervals a day, touching intervals and 24:00 ends', () => {
    assert.deepEqual(validateCalendar(base), [])
    assert.deepEqual(
      validateCalendar({ ...base, hours: { mon: [['15:00', '18:00'], ['09:00', '14:00'], ['14:00', '15:00']], sat: [['20:00', '24:00']] }, holidays: ['2026-12-25'] }),
      [],
    )
  })

  it('names an unknown time zone, with es-MX and English messages', () => {
    const [issue] = validateCalendar({ ...base, timezone: 'America/Ciudad_Gotica' })
    assert.equal(issue.field, 'calendar.timezone')
    assert.equal(issue.code, 'sla.timezone_unknown')
    assert.equal(issue.message.es, 'Zona horaria desconocida: «America/Ciudad_Gotica».')
    assert.equal(issue.message.en, 'Unknown time zone: "America/Ciudad_Gotica".')
  })

  it('names inverted and empty intervals', () => {
    assert.deepEqual(fields({ ...base, hours: { tue: [['17:00', '09:00']], wed: [['10:00', '10:00']] } }), [
      'calendar.hours.tue[0] sla.interval_inverted',
      'calendar.hours.wed[0] sla.interval_inverted',
    ])
  })

  it('names overlapping intervals, including one hidden inside a longer one', () => {
    assert.deepEqual(fields({ ...base, hours: { mon: [['09:00', '14:00'], ['13:00', '18:00']] } }), ['calendar.hours.mon[1] sla.interval_overlap'])
    assert.deepEqual(fields({ ...base, hours: { fri: [['08:00', '20:00'], ['10:00', '11:00'], ['12:00', '13:00']] } }), [
      'calendar.hours.fri[1] sla.interval_overlap',
      'calendar.hours.fri[2] sla.interval_overlap',
    ])
  })

  it('names bad times: out of range, badly written, 24:00 as a start', () => {
    assert.deepEqual(fields({ ...base, hours: { mon: [['25:00', '26:00']], tue: [['9:00', '17:00']], wed: [['24:00', '24:00']], thu: [['09:60', '10:00']] } }), [
      'calendar.hours.mon[0][0] sla.time_invalid',
      'calendar.hours.mon[0][1] sla.time_invalid',
      'calendar.hours.tue[0][0] sla.time_invalid',
      'calendar.hours.wed[0][0] sla.time_invalid',
      'calendar.hours.thu[0][0] sla.time_invalid',
    ])
    assert.deepEqual(fields({ ...base, hours: { mon: ['09:00-17:00'] } }), ['calendar.hours.mon[0] sla.interval_shape'])
  })

  it('names unknown weekdays and fields, and bad holiday dates', () => {
    assert.deepEqual(fields({ ...base, hours: { monday: [['09:00', '17:00']], mon: [['09:00', '17:00']] }, holidays: ['2026-02-30', '25/12/2026'], zone: 'x' }), [
      'calendar.zone sla.unknown_field',
      'calendar.hours.monday sla.weekday_unknown',
      'calendar.holidays[0] sla.date_invalid',
      'calendar.holidays[1] sla.date_invalid',
    ])
  })

  it('refuses a calendar with no working time at all', () => {
    assert.deepEqual(fields({ timezone: 'UTC', hours: {} }), ['calendar.hours sla.no_working_time'])
    assert.deepEqual(fields({ timezone: 'UTC', hours: { mon: [], sun: [] } }), ['calendar.hours sla.no_working_time'])
    assert.deepEqual(fields({ timezone: 'UTC' }), ['calendar.hours sla.required'])
  })

  it('refuses a calendar with less than an hour of working time a week, so a year-long target stays within reach', () => {
    assert.deepEqual(fields({ timezone: 'UTC', hours: { mon: [['09:00', '09:30']], fri: [['10:00', '10:29']] } }), ['calendar.hours sla.too_little_working_time'])
    assert.equal(validateCalendar({ timezone: 'UTC', hours: { mon: [['09:00', '09:59']] } })[0].message.en, 'The calendar must have at least 60 minutes of working time a week.')
    assert.deepEqual(fields({ timezone: 'UTC', hours: { mon: [['09:00', '09:30']], fri: [['10:00', '10:30']] } }), [])
    // The sparsest calendar allowed, 500 holidays on its only working day: a year of minutes is still due.
    const holidays = Array.from({ length: 500 }, (_, i) => new Date(Date.UTC(2027, 0, 4 + 7 * i)).toISOString().slice(0, 10))
    const due = addBusinessMinutes({ timezone: 'UTC', hours: { mon: [['09:00', '10:00']] }, holidays }, new Date(Date.UTC(2027, 0, 1)), 525_600)
    assert.ok(due.getTime() > Date.UTC(2190, 0, 1) && due.getTime() < Date.UTC(2227, 0, 1), due.toISOString())
  })

  it('makes compileCalendar throw a 400 SlaInputError naming the fields', () => {
    assert.throws(
      () => compileCalendar({ timezone: 'Mars/Olympus', hours: { mon: [['09:00', '17:00']] } }),
      (e: unknown) => e instanceof SlaInputError && e.statusCode === 400 && e.issues[0].field === 'calendar.timezone',
    )
  })
})
