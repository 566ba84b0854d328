import type { CompiledCalendar } from '../calendar/compiled-calendar'
import type { SlaTargetResult } from './clock.types'

const MINUTE = 60_000

/**
 * The running account of one target: business time spent so far (kept across pauses, reopenings
 * and re-targeting), whether it is counting now, and the instants it was met, warned and breached.
 * Works in the calendar's cumulative business time, so each step is arithmetic on numbers.
 */
export class TargetTracker {
  elapsed = 0
  counting = false
  metAt: number | null = null
  breachedAt: number | null = null
  warningAt: number | null = null
  private targetMs = Infinity
  private warnMs = Infinity
  private sinceAt = 0
  private sinceCum = 0
  private metCum = 0
  /** New target minutes that arrived while met: they apply only if the target is reopened. */
  private pending: { minutes: number | undefined } | null = null

  constructor(
    private readonly cal: CompiledCalendar,
    targetMinutes: number | undefined,
    private readonly warningPercent: number,
  ) {
    this.setTarget(targetMinutes)
  }

  get tracked(): boolean {
    return this.targetMs !== Infinity
  }

  /**
   * Adds the counting time up to instant `t` (cumulative business time `c`) and records crossings.
   * When `meetsAtT`, an event at `t` fulfils the target, so a deadline exactly at `t` is met.
   */
  advance(t: number, c: number, meetsAtT: boolean): void {
    if (!this.counting) return
    const before = this.elapsed
    const after = before + (c - this.sinceCum)
    if (this.metAt === null) {
      if (this.warningAt === null && after >= this.warnMs) {
        const w = this.cal.instantAt(this.sinceAt, this.sinceCum + this.warnMs - before)
        if (w < t || !meetsAtT) this.warningAt = w
      }
      if (this.breachedAt === null && after >= this.targetMs) {
        const d = this.cal.instantAt(this.sinceAt, this.sinceCum + this.targetMs - before)
        if (d < t || !meetsAtT) this.breachedAt = d
      }
    }
    this.elapsed = after
    this.sinceAt = t
    this.sinceCum = c
  }

  /** Counts from `t` on (call `advance` up to `t` first). */
  run(t: number, c: number): void {
    if (this.counting || this.metAt !== null) return
    this.counting = true
    this.sinceAt = t
    this.sinceCum = c
  }

  /** Counts from `t` when `counts`, else stops counting. */
  runIf(counts: boolean, t: number, c: number): void {
    if (counts) this.run(t, c)
    else this.counting = false
  }

  /** Fulfilled at `t` (cumulative business time `c`): the clock stops. */
  meet(t: number, c: number): void {
    if (this.metAt !== null) return
    this.metAt = t
    this.metCum = c
    this.counting = false
  }

  /** Starts afresh with new target minutes (a new next-response cycle reuses its tracker). */
  restart(minutes: number | undefined): void {
    this.elapsed = 0
    this.counting = false
    this.metAt = this.breachedAt = this.warningAt = null
    this.setTarget(minutes)
  }

  /** A reopened ticket resumes from the time already spent, under targets changed meanwhile (at `t`). */
  reopen(t: number): void {
    this.metAt = null
    const pending = this.pending
    this.pending = null
    if (pending) this.retarget(t, pending.minutes)
  }

  /**
   * New target minutes (undefined = untracked); time spent is kept, a passed target breaches at `t`.
   * A met target is settled: it keeps the target, due time and remaining time it was met with (the
   * new minutes wait for a reopening).
   */
  retarget(t: number, minutes: number | undefined): void {
    if (this.metAt !== null) {
      this.pending = { minutes }
      return
    }
    this.setTarget(minutes)
    if (this.warningAt === null && this.elapsed >= this.warnMs) this.warningAt = t
    if (this.breachedAt === null && this.elapsed >= this.targetMs) this.breachedAt = t
  }

  /** The target as of `now` (after `advance(now, …)`), or null when untracked. */
  result(now: number, cumNow: number): SlaTargetResult | null {
    if (!this.tracked) return null
    const left = this.targetMs - this.elapsed
    let dueAt: number | null = null
    if (this.breachedAt !== null) dueAt = this.breachedAt
    else if (this.metAt !== null) dueAt = this.cal.instantAt(this.metAt, this.metCum + left)
    else if (this.counting) dueAt = this.cal.instantAt(now, cumNow + left)
    let warningAt = this.warningAt
    if (warningAt === null && this.counting && this.metAt === null && this.breachedAt === null) {
      warningAt = this.cal.instantAt(now, cumNow + this.warnMs - this.elapsed)
    }
    return {
      state: this.breachedAt !== null ? 'breached' : this.metAt !== null ? 'met' : this.counting ? 'running' : 'paused',
      targetMinutes: this.targetMs / MINUTE,
      dueAt,
      warningAt,
      warning: this.warningAt !== null,
      metAt: this.metAt,
      breachedAt: this.breachedAt,
      elapsedMinutes: Math.floor(this.elapsed / MINUTE),
      remainingMinutes: Math.floor(left / MINUTE),
      elapsedMs: this.elapsed,
      counting: this.counting,
    }
  }

  private setTarget(minutes: number | undefined): void {
    this.targetMs = minutes === undefined ? Infinity : Math.round(minutes * MINUTE)
    this.warnMs = minutes === undefined ? Infinity : Math.floor((this.targetMs * this.warningPercent) / 100)
  }
}
