import type { SlaStatus } from '../../../../../common/src/sla/sla.types'
import { compileCalendar } from '../calendar/business-time'
import type { SlaClockInput, SlaClockResult, SlaEvent } from './clock.types'
import { TargetTracker } from './target-tracker'

// Plain comparisons rather than Set lookups: this runs per event in bulk recomputations.
const isDone = (s: SlaStatus) => s === 'resolved' || s === 'closed'
const isStopped = (s: SlaStatus) => s === 'resolved' || s === 'closed' || s === 'cancelled'

const instant = (at: Date | number): number => (typeof at === 'number' ? at : at.getTime())

/**
 * The SLA clock of one ticket: replays its events through the calendar and returns the first
 * response, current next-response cycle and resolution targets as of `now` (docs/sla.md):
 * - response clocks count in every status but resolved/closed/cancelled; a support update (public
 *   agent reply, or an agent's status change) meets them; a customer reply after a support update
 *   opens a next-response cycle;
 * - resolution counts in new/open/on_hold (on_hold not with pauseOnHold), is met on resolved or
 *   closed, and a reopened ticket resumes from the time already spent;
 * - with resolutionStart `info_complete`, when the first status change is to pending, the time
 *   before it does not count;
 * - a `targets` event replaces the targets and keeps the time spent.
 * Pure: no IO, no clock of its own.
 */
export function computeSla(input: SlaClockInput): SlaClockResult {
  const cal = compileCalendar(input.calendar)
  const { events } = input
  const pct = input.warningPercent ?? 75
  const pauseOnHold = input.pauseOnHold ?? false
  const now = instant(input.now)
  if (events.length === 0 || events[0].type !== 'created') throw new Error('the first SLA event must be `created`')

  let targets = input.targets
  let status: SlaStatus = events[0].status ?? 'new'
  const first = new TargetTracker(cal, targets.firstResponseMinutes, pct)
  const resolution = new TargetTracker(cal, targets.resolutionMinutes, pct)
  let next: TargetTracker | null = null
  let cycle = 0
  let responded = false
  const gate = input.resolutionStart === 'info_complete' ? infoCompleteGate(events, status, now) : 0

  const start = instant(events[0].at)
  const startCum = cal.cum(start)
  if (!isStopped(status)) first.run(start, startCum)
  if (gate === 0 && resolutionCounts(status, pauseOnHold)) resolution.run(start, startCum)

  for (let i = 1; i < events.length; i++) {
    const e = events[i]
    const t = instant(e.at)
    if (t > now) break
    const c = cal.cum(t)
    const newStatus = e.type === 'status' && e.status !== undefined ? e.status : status
    const supportUpdate =
      (e.type === 'agent_reply' && e.internal !== true) ||
      (e.type === 'status' && (e.by ?? 'agent') === 'agent' && newStatus !== status)
    const resolves = isDone(newStatus) && !isDone(status)
    first.advance(t, c, supportUpdate)
    next?.advance(t, c, supportUpdate)
    resolution.advance(t, c, resolves)

    if (supportUpdate) {
      responded = true
      first.meet(t, c)
      next?.meet(t, c)
    } else if (e.type === 'customer_reply' && responded && (next === null || next.metAt !== null)) {
      if (next === null) next = new TargetTracker(cal, targets.nextResponseMinutes, pct)
      else next.restart(targets.nextResponseMinutes)
      cycle++
      if (!isStopped(status)) next.run(t, c)
    } else if (e.type === 'targets' && e.targets) {
      targets = e.targets
      first.retarget(t, targets.firstResponseMinutes)
      next?.retarget(t, targets.nextResponseMinutes)
      resolution.retarget(t, targets.resolutionMinutes)
    }

    if (newStatus !== status) {
      if (isDone(status) && !isStopped(newStatus)) resolution.reopen(t)
      status = newStatus
      const stopped = isStopped(status)
      first.runIf(!stopped, t, c)
      next?.runIf(!stopped, t, c)
      if (resolves) resolution.meet(t, c)
      else resolution.runIf(i >= gate && resolutionCounts(status, pauseOnHold), t, c)
    }
  }

  const cumNow = cal.cum(now)
  first.advance(now, cumNow, false)
  next?.advance(now, cumNow, false)
  resolution.advance(now, cumNow, false)
  const nextResult = next === null ? null : next.result(now, cumNow)
  return {
    firstResponse: first.result(now, cumNow),
    nextResponse: nextResult === null ? null : Object.assign(nextResult, { cycle }),
    resolution: resolution.result(now, cumNow),
  }
}

function resolutionCounts(s: SlaStatus, pauseOnHold: boolean): boolean {
  return s === 'new' || s === 'open' || (s === 'on_hold' && !pauseOnHold)
}

/**
 * Index of the event from which resolution may count under `info_complete`: the first status
 * change, when it is to `pending` (time before it does not count); else 0 (from creation).
 */
function infoCompleteGate(events: readonly SlaEvent[], initial: SlaStatus, now: number): number {
  for (let i = 1; i < events.length; i++) {
    const e = events[i]
    if (instant(e.at) > now) break
    if (e.type === 'status' && e.status !== undefined && e.status !== initial) return e.status === 'pending' ? i : 0
  }
  return 0
}
