import type { Executor } from '../../../platform/db/database'
import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import type { SlaTargetResult } from '../clock/clock.types'
import { computeSla } from '../clock/compute-sla'
import type { SlaTargetKey } from '../sla.tables'
import { calendar24x7Row, compiledCalendarOf, defaultCalendarRow, listCalendars, type CalendarRow } from '../storage/calendar-store'
import { listPolicies, type StoredPolicy } from '../storage/policy-store'
import { planEscalations } from '../escalation/schedule-escalations'
import { loadSlaInputs, loadStatusKeys, type SlaTicketRow } from './load-sla-inputs'
import { storeTicketSla } from './store-ticket-sla'
import { buildTimeline, statusReader } from './ticket-timeline'

/** One target of a live ticket as computed (cycle 0 except for next response). */
export type ComputedTarget = SlaTargetResult & { cycle: number }

/** A ticket's SLA as of `now`. */
export interface ComputedTicketSla {
  ticket: SlaTicketRow
  /** The policy in force (after re-matching); null when none applies. */
  policy: StoredPolicy | null
  calendarId: string | null
  targets: Partial<Record<SlaTargetKey, ComputedTarget>>
}

export interface RecomputeOptions {
  now: Date
  /** Imports: warnings and breaches already past are recorded as happened, never acted on. */
  suppressPast?: boolean
}

/** The policies and calendars every ticket of a batch is computed against. */
interface Setup { policies: StoredPolicy[]; calendars: Map<string, CalendarRow>; defaultCalendar: CalendarRow; allDay: CalendarRow }

let cached: { version: string; setup: Setup } | null = null

/**
 * The active policies and the calendars, from memory while sla_config.version (read with the
 * tickets) is the one they were loaded at; any write to policies or calendars gives a new version.
 */
async function loadSetup(db: Executor, version: string): Promise<Setup> {
  if (cached && cached.version === version && version !== '') return cached.setup
  const [policies, calendars, defaultCalendar, allDay] = await Promise.all([
    listPolicies(db, { activeOnly: true }), listCalendars(db), defaultCalendarRow(db), calendar24x7Row(db),
  ])
  const setup = { policies, calendars: new Map(calendars.map((c) => [c.id, c])), defaultCalendar, allDay }
  cached = { version, setup }
  return setup
}

/** The calendar a policy counts in: 24×7, its own, else the default calendar. */
function calendarFor(policy: SlaPolicy, setup: Setup): CalendarRow {
  if (policy.calendar === '24x7') return setup.allDay
  return (policy.calendarId ? setup.calendars.get(policy.calendarId) : undefined) ?? setup.defaultCalendar
}

/**
 * Recomputes the SLA of some tickets from their history, as of `opts.now`, inside the caller's
 * transaction: matches the policies (re-matching on type / category / priority / organization
 * changes, time spent kept), replays the clock, stores ticket_sla and the summary lists use,
 * records breaches, and schedules, moves or cancels the escalation jobs. Idempotent.
 */
export async function recomputeTicketsSla(trx: Executor, ids: readonly string[], opts: RecomputeOptions): Promise<Map<string, ComputedTicketSla>> {
  const out = new Map<string, ComputedTicketSla>()
  if (ids.length === 0) return out
  // Locks the tickets (one writer per ticket) and reads them with the configuration's version.
  const inputs = await loadSlaInputs(trx, ids)
  const setup = await loadSetup(trx, inputs.configVersion)
  const statusOf = statusReader(inputs.tickets.some((t) => t.imported) ? await loadStatusKeys(trx) : new Map())
  for (const ticket of inputs.tickets) {
    const timeline = buildTimeline({
      ticket,
      history: inputs.history.get(ticket.id) ?? [],
      comments: inputs.comments.get(ticket.id) ?? [],
      policies: setup.policies,
      categoryPath: (id) => inputs.categoryPaths.get(id) ?? [id],
      statusOf,
    })
    const governing = timeline.firstPolicy
    if (!governing) {
      out.set(ticket.id, { ticket, policy: null, calendarId: null, targets: {} })
      continue
    }
    const calendar = calendarFor(governing, setup)
    const result = computeSla({
      calendar: compiledCalendarOf(calendar).compiled,
      targets: timeline.initialTargets,
      pauseOnHold: governing.pauseOnHold,
      resolutionStart: governing.resolutionStart,
      warningPercent: governing.warningPercent,
      events: timeline.events,
      now: opts.now,
    })
    const targets: ComputedTicketSla['targets'] = {}
    if (result.firstResponse) targets.first_response = { ...result.firstResponse, cycle: 0 }
    if (result.nextResponse) targets.next_response = result.nextResponse
    if (result.resolution) targets.resolution = { ...result.resolution, cycle: 0 }
    const policy = setup.policies.find((p) => p.id === timeline.currentPolicy?.id) ?? null
    out.set(ticket.id, { ticket, policy, calendarId: calendar.id, targets })
  }
  const computed = [...out.values()]
  const escalations = await planEscalations(trx, computed, inputs.stored, opts)
  await storeTicketSla(trx, computed, opts.now, escalations)
  return out
}

/** One ticket: see recomputeTicketsSla. Null when the ticket does not exist. */
export async function recomputeTicketSla(trx: Executor, id: string, opts: RecomputeOptions): Promise<ComputedTicketSla | null> {
  return (await recomputeTicketsSla(trx, [id], opts)).get(id) ?? null
}
