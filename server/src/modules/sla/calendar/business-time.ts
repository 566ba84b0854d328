import type { CalendarSpec } from '../../../../../common/src/sla/sla.types'
import { SlaInputError } from '../sla.errors'
import { CompiledCalendar } from './compiled-calendar'
import { validateCalendar } from './validate-calendar'

export type CalendarLike = CalendarSpec | CompiledCalendar

const MINUTE = 60_000
const byObject = new WeakMap<CalendarSpec, CompiledCalendar>()
const byContent = new Map<string, CompiledCalendar>()
const CONTENT_CACHE_SIZE = 64

/**
 * Validates and compiles a calendar, cached by object and by content, so repeated calls (one per
 * simulator request, one per ticket) reuse the same interval table. Throws SlaInputError if invalid.
 */
export function compileCalendar(cal: CalendarLike): CompiledCalendar {
  if (cal instanceof CompiledCalendar) return cal
  const known = byObject.get(cal)
  if (known) return known
  const key = JSON.stringify([cal.timezone, cal.hours, cal.holidays ?? []])
  let compiled = byContent.get(key)
  if (!compiled) {
    const issues = validateCalendar(cal)
    if (issues.length) throw new SlaInputError(issues)
    compiled = new CompiledCalendar(cal)
    if (byContent.size >= CONTENT_CACHE_SIZE) byContent.delete(byContent.keys().next().value as string)
    byContent.set(key, compiled)
  }
  byObject.set(cal, compiled)
  return compiled
}

/**
 * The instant at which `minutes` business minutes have elapsed after `start`: the earliest such
 * instant, so a span that ends when an interval closes is due at the closing time (17:00, not
 * 09:00 next day). With 0 minutes, `start` itself.
 */
export function addBusinessMinutes(cal: CalendarLike, start: Date, minutes: number): Date {
  if (!(minutes >= 0)) throw new RangeError('minutes must be 0 or more')
  const c = compileCalendar(cal)
  const t = start.getTime()
  return new Date(c.instantAt(t, c.cum(t) + Math.round(minutes * MINUTE)))
}

/** Business minutes between `a` and `b` (fractional; negative when `b` is before `a`). */
export function businessMinutesBetween(cal: CalendarLike, a: Date, b: Date): number {
  const c = compileCalendar(cal)
  return (c.cum(b.getTime()) - c.cum(a.getTime())) / MINUTE
}

/** True when `t` falls inside working time (an interval's start counts, its end does not). */
export function isOpen(cal: CalendarLike, t: Date): boolean {
  return compileCalendar(cal).isOpen(t.getTime())
}

/** `t` when open, else the start of the next working interval. */
export function nextOpening(cal: CalendarLike, t: Date): Date {
  return new Date(compileCalendar(cal).nextOpening(t.getTime()))
}
