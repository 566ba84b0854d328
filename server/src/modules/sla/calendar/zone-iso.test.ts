import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { isoInZone } from './zone-iso'

const ZONES = ['America/Mexico_City', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC', 'Europe/London', 'Etc/UTC', 'Europe/Madrid', 'America/Tijuana']

describe('isoInZone', () => {
  it('formats like Luxon toISO({ suppressMilliseconds: true }) in any zone, across DST switches', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 7_258_118_400_000 }), fc.constantFrom(...ZONES), (ms, zone) => {
      const luxon = DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })
      assert.equal(isoInZone(ms, zone), luxon)
    }), { numRuns: 5000 })
  })

  it('shows Mexico City without daylight saving time since 2023', () => {
    assert.equal(isoInZone(Date.UTC(2026, 6, 1, 15, 0), 'America/Mexico_City'), '2026-07-01T09:00:00-06:00')
    assert.equal(isoInZone(Date.UTC(2026, 6, 1, 15, 0, 0, 250), 'America/New_York'), '2026-07-01T11:00:00.250-04:00')
  })
})
