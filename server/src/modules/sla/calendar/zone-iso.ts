import { IANAZone } from 'luxon'

const QUARTER_HOUR = 15 * 60_000
const offsets = new Map<string, number>()
const MAX_CACHED = 50_000

/**
 * ISO-8601 of an instant with the zone's UTC offset, e.g. "2026-03-09T09:30:00-06:00" (seconds
 * kept, milliseconds only when not zero) — what Luxon's toISO({ suppressMilliseconds: true })
 * gives, without building a DateTime. Offsets come from Luxon's zone data, cached per quarter
 * hour (offset changes happen on quarter-hour boundaries), so ticket lists format hundreds of
 * instants cheaply.
 */
export function isoInZone(ms: number, zone: string): string {
  const bucket = Math.floor(ms / QUARTER_HOUR)
  const key = `${zone}|${bucket}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(ms)
    if (offsets.size >= MAX_CACHED) offsets.clear()
    offsets.set(key, offset)
  }
  const local = new Date(ms + offset * 60_000).toISOString()
  const base = ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23)
  if (offset === 0 && zone.toUpperCase() === 'UTC') return `${base}Z`
  const abs = Math.abs(offset)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `${base}${offset < 0 ? '-' : '+'}${hh}:${mm}`
}
