import { DateTime } from 'luxon'
import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import type {
  CalendarSpec,
  SlaSimulationResult,
  SlaTargetView,
} from '../../../../../common/src/sla/sla.types'
import { calendar24x7, defaultCalendar, DEFAULT_TIMEZONE } from '../calendar/mexico-holidays'
import type { SlaTargetResult } from '../clock/clock.types'
import { computeSla } from '../clock/compute-sla'
import { slaIssue, SlaInputError } from '../sla.errors'
import { parseSimulateRequest, type SimulateRequest } from './simulate-input'

/** What the simulator may look up, and its clock; all optional, all injected (no IO here). */
export interface SimulateContext {
  now?: () => Date
  findCalendar?: (id: string) => CalendarSpec | undefined
  findPolicy?: (id: string) => SlaPolicy | undefined
}

/**
 * `POST /api/v1/sla/simulate`: runs the same SLA clock as live tickets over the given events and
 * answers the first-response and resolution targets as of `now` (and next response when the targets
 * have one), instants as ISO-8601 with the calendar zone's offset, minutes rounded down. Calendar: `calendar`, or `calendarId` (built-ins `default` and `24x7`),
 * or the policy's, else the default calendar with the statutory holidays of the events' years
 * (and the year after, so deadlines that spill over New Year skip 1 January).
 * Throws SlaInputError (400) naming the field on bad input.
 */
export function simulate(body: unknown, context: SimulateContext = {}): SlaSimulationResult {
  const req = parseSimulateRequest(body)
  const policy = req.policyId === undefined ? null : findPolicy(req.policyId, context)
  const targets = req.targets ?? (policy && req.priority ? policy.targets[req.priority] : undefined)
  if (!targets) throw new SlaInputError([slaIssue('priority', 'sla.policy_no_targets', { value: String(req.priority) })])
  const now = req.now ?? (context.now ? context.now() : new Date()).getTime()
  const calendar = chooseCalendar(req, policy, now, context)
  const result = computeSla({
    calendar,
    targets,
    pauseOnHold: req.pauseOnHold ?? policy?.pauseOnHold,
    resolutionStart: req.resolutionStart ?? policy?.resolutionStart,
    warningPercent: req.warningPercent ?? policy?.warningPercent,
    events: req.events,
    now,
  })
  const answer: SlaSimulationResult = {
    firstResponse: present(result.firstResponse, calendar.timezone),
    resolution: present(result.resolution, calendar.timezone),
  }
  // Next response only when the targets define it: the latest cycle, null until a customer reply awaits support.
  if (targets.nextResponseMinutes !== undefined) answer.nextResponse = present(result.nextResponse, calendar.timezone)
  return answer
}

function findPolicy(id: string, context: SimulateContext): SlaPolicy {
  const policy = context.findPolicy?.(id)
  if (!policy) throw new SlaInputError([slaIssue('policyId', 'sla.policy_not_found', { value: id })])
  return policy
}

function chooseCalendar(req: SimulateRequest, policy: SlaPolicy | null, now: number, context: SimulateContext): CalendarSpec {
  if (req.calendar) return req.calendar
  // Stored calendars first (`default` and `24x7` name the stored built-ins), then the built-in ones.
  const byId = (id: string, field: string): CalendarSpec => {
    const found = context.findCalendar?.(id)
    if (found) return found
    if (id === 'default') return defaultCalendar(years(req, now))
    if (id === '24x7') return calendar24x7()
    throw new SlaInputError([slaIssue(field, 'sla.calendar_not_found', { value: id })])
  }
  if (req.calendarId !== undefined) return byId(req.calendarId, 'calendarId')
  if (policy?.calendar === '24x7') return byId('24x7', 'policyId')
  if (policy) return byId(policy.calendarId ?? 'default', 'policyId')
  return defaultCalendar(years(req, now))
}

/** The years (in Mexico City) of the events and of `now`, plus the following one. */
function years(req: SimulateRequest, now: number): number[] {
  const year = (ms: number) => DateTime.fromMillis(ms, { zone: DEFAULT_TIMEZONE }).year
  const first = year(req.events[0].at)
  const last = Math.max(year(now), year(req.events[req.events.length - 1].at)) + 1
  return Array.from({ length: Math.max(1, last - first + 1) }, (_, i) => first + i)
}

function present(target: SlaTargetResult | null, zone: string): SlaTargetView | null {
  if (!target) return null
  const iso = (ms: number | null) =>
    ms === null ? null : DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })
  return {
    state: target.state,
    dueAt: iso(target.dueAt),
    metAt: iso(target.metAt),
    breachedAt: iso(target.breachedAt),
    elapsedMinutes: target.elapsedMinutes,
    remainingMinutes: target.remainingMinutes,
  }
}
