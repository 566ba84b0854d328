import { DateTime, IANAZone } from 'luxon'
import {
  RESOLUTION_STARTS,
  SLA_PRIORITIES,
  SLA_STATUSES,
  type CalendarSpec,
  type ResolutionStart,
  type SlaPriority,
  type SlaStatus,
  type SlaTargets,
} from '../../../../../common/src/sla/sla.types'
import { validateCalendar } from '../calendar/validate-calendar'
import { DEFAULT_TIMEZONE } from '../calendar/mexico-holidays'
import { SLA_EVENT_TYPES, type SlaActor, type SlaEvent, type SlaEventType } from '../clock/clock.types'
import { slaIssue, SlaInputError, type SlaIssue } from '../sla.errors'

/** A simulator request after validation; instants are epoch ms. */
export interface SimulateRequest {
  calendar?: CalendarSpec
  calendarId?: string
  targets?: SlaTargets
  policyId?: string
  priority?: SlaPriority
  pauseOnHold?: boolean
  resolutionStart?: ResolutionStart
  warningPercent?: number
  events: (SlaEvent & { at: number })[]
  now?: number
}

const FIELDS = ['calendar', 'calendarId', 'targets', 'policyId', 'priority', 'pauseOnHold', 'resolutionStart', 'warningPercent', 'events', 'now']
const EVENT_FIELDS = ['at', 'type', 'status', 'by', 'internal', 'targets']
const TARGET_FIELDS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const
const ACTORS: SlaActor[] = ['agent', 'customer', 'system']

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => list.includes(v as T)

/**
 * Validates a `POST /api/v1/sla/simulate` body: every problem is reported with the field it is in
 * (unknown zones, overlapping or inverted intervals, events out of order, unknown statuses,
 * targets ≤ 0…). Throws SlaInputError; returns the typed request otherwise.
 */
export function parseSimulateRequest(body: unknown): SimulateRequest {
  if (!isRecord(body)) throw new SlaInputError([slaIssue('body', 'sla.not_object')])
  const issues: SlaIssue[] = []
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) issues.push(slaIssue(key, 'sla.unknown_field'))
  if (body.calendar !== undefined && body.calendarId !== undefined) issues.push(slaIssue('calendarId', 'sla.one_of', { a: 'calendar', b: 'calendarId' }))
  if (body.calendar !== undefined) issues.push(...validateCalendar(body.calendar, 'calendar'))
  if (body.calendarId !== undefined && typeof body.calendarId !== 'string') issues.push(slaIssue('calendarId', 'sla.required'))
  if (body.targets !== undefined && body.policyId !== undefined) issues.push(slaIssue('policyId', 'sla.one_of', { a: 'targets', b: 'policyId' }))
  if (body.targets === undefined && body.policyId === undefined) issues.push(slaIssue('targets', 'sla.required'))
  if (body.targets !== undefined) checkTargets(body.targets, 'targets', ['firstResponseMinutes', 'resolutionMinutes'], issues)
  if (body.policyId !== undefined && typeof body.policyId !== 'string') issues.push(slaIssue('policyId', 'sla.required'))
  if (body.policyId !== undefined && body.priority === undefined) issues.push(slaIssue('priority', 'sla.required'))
  if (body.priority !== undefined && !oneOf(SLA_PRIORITIES, body.priority)) issues.push(slaIssue('priority', 'sla.enum', { value: String(body.priority) }))
  if (body.pauseOnHold !== undefined && typeof body.pauseOnHold !== 'boolean') issues.push(slaIssue('pauseOnHold', 'sla.enum', { value: String(body.pauseOnHold) }))
  if (body.resolutionStart !== undefined && !oneOf(RESOLUTION_STARTS, body.resolutionStart)) issues.push(slaIssue('resolutionStart', 'sla.enum', { value: String(body.resolutionStart) }))
  const pct = body.warningPercent
  if (pct !== undefined && (typeof pct !== 'number' || !(pct >= 1 && pct <= 100))) issues.push(slaIssue('warningPercent', 'sla.percent_range'))

  const calendar = isRecord(body.calendar) ? body.calendar : null
  const zone = typeof calendar?.timezone === 'string' && IANAZone.isValidZone(calendar.timezone) ? calendar.timezone : DEFAULT_TIMEZONE
  const events = parseEvents(body.events, zone, issues)
  let now: number | undefined
  if (body.now !== undefined) {
    now = parseInstant(body.now, zone, 'now', issues) ?? undefined
    const last = events[events.length - 1]
    if (now !== undefined && last && now < last.at) issues.push(slaIssue('now', 'sla.now_before_events'))
  }
  if (issues.length) throw new SlaInputError(issues)
  return { ...(body as Omit<SimulateRequest, 'events' | 'now'>), events, now }
}

function parseEvents(input: unknown, zone: string, issues: SlaIssue[]): (SlaEvent & { at: number })[] {
  if (!Array.isArray(input) || input.length === 0) {
    issues.push(slaIssue('events', 'sla.events_first_created'))
    return []
  }
  const events: (SlaEvent & { at: number })[] = []
  let previous = -Infinity
  input.forEach((raw: unknown, i) => {
    const field = `events[${i}]`
    if (!isRecord(raw)) return issues.push(slaIssue(field, 'sla.not_object'))
    for (const key of Object.keys(raw)) if (!EVENT_FIELDS.includes(key)) issues.push(slaIssue(`${field}.${key}`, 'sla.unknown_field'))
    const at = parseInstant(raw.at, zone, `${field}.at`, issues)
    if (at !== null && at < previous) issues.push(slaIssue(`${field}.at`, 'sla.events_order'))
    if (at !== null) previous = at
    const type = raw.type
    if (!oneOf(SLA_EVENT_TYPES, type)) return issues.push(slaIssue(`${field}.type`, 'sla.event_type_unknown', { value: String(type) }))
    if ((type === 'created') !== (i === 0)) issues.push(slaIssue(`${field}.type`, 'sla.events_first_created'))
    const status = raw.status
    if (type === 'status' && status === undefined) issues.push(slaIssue(`${field}.status`, 'sla.required'))
    else if (status !== undefined && !oneOf(SLA_STATUSES, status)) issues.push(slaIssue(`${field}.status`, 'sla.status_unknown', { value: String(status) }))
    if (raw.by !== undefined && !oneOf(ACTORS, raw.by)) issues.push(slaIssue(`${field}.by`, 'sla.enum', { value: String(raw.by) }))
    if (raw.internal !== undefined && typeof raw.internal !== 'boolean') issues.push(slaIssue(`${field}.internal`, 'sla.enum', { value: String(raw.internal) }))
    if (type === 'targets') checkTargets(raw.targets, `${field}.targets`, [], issues)
    events.push({ ...(raw as Omit<SlaEvent, 'at' | 'type' | 'status'>), type: type as SlaEventType, status: status as SlaStatus | undefined, at: at ?? 0 })
  })
  return events
}

/** Targets: an object of whole positive minutes; `required` names the ones that must be there. */
function checkTargets(input: unknown, field: string, required: readonly string[], issues: SlaIssue[]): void {
  if (!isRecord(input)) return void issues.push(slaIssue(field, input === undefined ? 'sla.required' : 'sla.not_object'))
  for (const key of Object.keys(input)) if (!oneOf(TARGET_FIELDS, key)) issues.push(slaIssue(`${field}.${key}`, 'sla.unknown_field'))
  for (const key of TARGET_FIELDS) {
    const value = input[key]
    if (value === undefined) {
      if (required.includes(key)) issues.push(slaIssue(`${field}.${key}`, 'sla.required'))
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      issues.push(slaIssue(`${field}.${key}`, 'sla.target_positive'))
    }
  }
}

/** ISO-8601 instant; without an offset it is read in the calendar's zone. */
function parseInstant(input: unknown, zone: string, field: string, issues: SlaIssue[]): number | null {
  const parsed = typeof input === 'string' ? DateTime.fromISO(input, { zone }) : null
  // A bounded range keeps calendar tables small (they are built year by year).
  if (!parsed?.isValid || parsed.year < 1970 || parsed.year > 2200) {
    issues.push(slaIssue(field, input === undefined ? 'sla.required' : 'sla.instant_invalid', { value: String(input) }))
    return null
  }
  return parsed.toMillis()
}
