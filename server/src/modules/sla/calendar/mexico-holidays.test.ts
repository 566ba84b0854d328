import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { defaultCalendar, mexicanStatutoryHolidays } from './mexico-holidays'

describe('Mexican statutory rest days (LFT art. 74)', () => {
  it('lists the 2026 days', () => {
    assert.deepEqual(mexicanStatutoryHolidays(2026), [
      '2026-01-01', '2026-02-02', '2026-03-16', '2026-05-01', '2026-09-16', '2026-11-16', '2026-12-25',
    ])
  })

  it('adds 1 October in years of change of federal government (2024, 2030, 2036), not others', () => {
    assert.ok(mexicanStatutoryHolidays(2024).includes('2024-10-01'))
    assert.ok(mexicanStatutoryHolidays(2030).includes('2030-10-01'))
    assert.ok(mexicanStatutoryHolidays(2036).includes('2036-10-01'))
    for (const year of [2025, 2026, 2027, 2028, 2029, 2031]) assert.equal(mexicanStatutoryHolidays(year).length, 7)
    assert.deepEqual(mexicanStatutoryHolidays(2030), [
      '2030-01-01', '2030-02-04', '2030-03-18', '2030-05-01', '2030-09-16', '2030-10-01', '2030-11-18', '2030-12-25',
    ])
  })

  it('used 1 December before the 2024 change (2018)', () => {
    assert.ok(mexicanStatutoryHolidays(2018).includes('2018-12-01'))
    assert.ok(!mexicanStatutoryHolidays(2018).includes('2018-10-01'))
  })

  it('puts the movable days on the right Mondays for any year', () => {
    fc.assert(fc.property(fc.integer({ min: 1970, max: 2200 }), (year) => {
      const days = mexicanStatutoryHolidays(year).map((d) => DateTime.fromISO(d))
      const monday = (month: number) => days.find((d) => d.month === month && d.day !== 1)
      const feb = days.find((d) => d.month === 2)
      assert.ok(feb && feb.weekday === 1 && feb.day <= 7)
      const mar = monday(3)
      assert.ok(mar && mar.weekday === 1 && mar.day >= 15 && mar.day <= 21)
      const nov = monday(11)
      assert.ok(nov && nov.weekday === 1 && nov.day >= 15 && nov.day <= 21)
    }))
  })
})

describe('defaultCalendar', () => {
  it('is Monday–Friday 09:00–17:00 America/Mexico_City with the given years’ rest days', () => {
    const cal = defaultCalendar([2027, 2026, 2026])
    assert.equal(cal.timezone, 'America/Mexico_City')
    assert.deepEqual(cal.hours.mon, [['09:00', '17:00']])
    assert.deepEqual(cal.hours.fri, [['09:00', '17:00']])
    assert.equal(cal.hours.sat, undefined)
    assert.equal(cal.holidays?.length, 14)
    assert.equal(cal.holidays?.[0], '2026-01-01')
    assert.equal(cal.holidays?.[13], '2027-12-25')
  })
})
