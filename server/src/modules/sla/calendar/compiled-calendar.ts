import { DateTime } from 'luxon'
import type { CalendarSpec } from '../../../../../common/src/sla/sla.types'
import { buildIntervals, isAlwaysOpen, weekTemplate, type WeekTemplate } from './day-table'

const YEAR_GUARD = 200
const DAY = 86_400_000

/**
 * A calendar turned into a table of real-time working intervals with running totals and a
 * per-day index, so business-time questions are lookups over numbers (no Luxon in hot loops).
 *
 * `cum(t)` is the business milliseconds between a fixed origin and `t`; differences of `cum`
 * are business time. The table covers whole local years and grows on demand; earlier years get
 * negative totals, so every `cum` value handed out stays valid for the life of the object.
 */
export class CompiledCalendar {
  readonly timezone: string
  /** No closed time at all (24×7): business time equals real time. */
  readonly alwaysOpen: boolean
  private readonly template: WeekTemplate
  private readonly holidays: ReadonlySet<string>
  private starts: number[] = []
  private ends: number[] = []
  private cumStarts: number[] = []
  private from: DateTime | null = null
  private to: DateTime | null = null
  private fromMs = 0
  private toMs = 0
  private buckets = new Int32Array(0)

  constructor(spec: CalendarSpec) {
    this.timezone = spec.timezone
    this.template = weekTemplate(spec)
    this.holidays = new Set(spec.holidays ?? [])
    this.alwaysOpen = isAlwaysOpen(this.template, this.holidays)
  }

  /** Business ms from the origin to `t` (epoch ms). */
  cum(t: number): number {
    if (this.alwaysOpen) return t
    if (t < this.fromMs || t >= this.toMs) this.cover(t)
    const i = this.indexAtOrBefore(t)
    if (i < 0) return this.cumStarts.length ? this.cumStarts[0] : 0
    const end = this.ends[i]
    return this.cumStarts[i] + (t < end ? t : end) - this.starts[i]
  }

  /** Earliest instant at or after `from` whose `cum` reaches `c`. */
  instantAt(from: number, c: number): number {
    if (this.alwaysOpen) return c > from ? c : from
    if (c <= this.cum(from)) return from
    // Gallop forward from `from`'s interval (deadlines are usually a few intervals away), then bisect.
    let lo = Math.max(0, this.indexAtOrBefore(from))
    let hi = lo
    for (let step = 1; ; step *= 2) {
      if (hi >= this.starts.length) {
        const last = this.starts.length - 1
        if (last >= 0 && this.cumEnd(last) >= c) {
          hi = last
          break
        }
        this.growRight(from)
        continue
      }
      if (this.cumEnd(hi) >= c) break
      lo = hi + 1
      hi += step
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cumEnd(mid) >= c) hi = mid
      else lo = mid + 1
    }
    return this.starts[lo] + (c - this.cumStarts[lo])
  }

  /** True when `t` lies inside a working interval (starts included, ends excluded). */
  isOpen(t: number): boolean {
    if (this.alwaysOpen) return true
    if (t < this.fromMs || t >= this.toMs) this.cover(t)
    const i = this.indexAtOrBefore(t)
    return i >= 0 && t < this.ends[i]
  }

  /** `t` itself when open, else the start of the next working interval. */
  nextOpening(t: number): number {
    if (this.isOpen(t)) return t
    for (let guard = 0; guard <= YEAR_GUARD; guard++) {
      const i = this.indexAtOrBefore(t) + 1
      if (i < this.starts.length) return this.starts[i]
      this.growRight(t)
    }
    throw new Error('calendar has no working time ahead')
  }

  private cumEnd(i: number): number {
    return this.cumStarts[i] + this.ends[i] - this.starts[i]
  }

  /** Largest index whose interval starts at or before `t` (covered), or -1: a bucket, then a short walk. */
  private indexAtOrBefore(t: number): number {
    const starts = this.starts
    let i = this.buckets[((t - this.fromMs) / DAY) | 0]
    while (i + 1 < starts.length && starts[i + 1] <= t) i++
    return i
  }

  /** For each 24-hour slot from `fromMs`, the last interval starting at or before the slot's start. */
  private reindex(): void {
    const slots = Math.ceil((this.toMs - this.fromMs) / DAY)
    const buckets = new Int32Array(slots)
    let i = -1
    for (let k = 0; k < slots; k++) {
      const slotStart = this.fromMs + k * DAY
      while (i + 1 < this.starts.length && this.starts[i + 1] <= slotStart) i++
      buckets[k] = i
    }
    this.buckets = buckets
  }

  /** Extends the table by whole local years until it covers `t`. */
  private cover(t: number): void {
    if (this.from === null) {
      const year = DateTime.fromMillis(t, { zone: this.timezone }).startOf('year')
      this.from = this.to = year
      this.fromMs = this.toMs = year.toMillis()
    }
    while (t < this.fromMs) this.growLeft()
    while (t >= this.toMs) this.growRight(t)
  }

  /** Appends the next local year; refuses to run more than YEAR_GUARD years past `t`. */
  private growRight(t: number): void {
    const from = this.to as DateTime
    const to = from.plus({ years: 1 })
    if (to.year - DateTime.fromMillis(t, { zone: this.timezone }).year > YEAR_GUARD) {
      throw new Error('calendar has no working time ahead')
    }
    const { starts, ends } = buildIntervals(this.template, this.holidays, this.timezone, from, to)
    const n = this.starts.length
    let cum = n ? this.cumStarts[n - 1] + this.ends[n - 1] - this.starts[n - 1] : 0
    for (let i = 0; i < starts.length; i++) {
      this.starts.push(starts[i])
      this.ends.push(ends[i])
      this.cumStarts.push(cum)
      cum += ends[i] - starts[i]
    }
    this.to = to
    this.toMs = to.toMillis()
    this.reindex()
  }

  private growLeft(): void {
    const to = this.from as DateTime
    const from = to.minus({ years: 1 })
    const { starts, ends } = buildIntervals(this.template, this.holidays, this.timezone, from, to)
    let cum = this.cumStarts.length ? this.cumStarts[0] : 0
    const cums = new Array<number>(starts.length)
    for (let i = starts.length - 1; i >= 0; i--) {
      cum -= ends[i] - starts[i]
      cums[i] = cum
    }
    this.starts = starts.concat(this.starts)
    this.ends = ends.concat(this.ends)
    this.cumStarts = cums.concat(this.cumStarts)
    this.from = from
    this.fromMs = from.toMillis()
    this.reindex()
  }
}
