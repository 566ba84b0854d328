import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import type { TicketSlaTargetView, TicketSlaView } from '../../../../../common/src/sla/sla.types'
import type { CompiledCalendar } from '../calendar/compiled-calendar'
import { isoInZone } from '../calendar/zone-iso'
import type { SlaTargetKey, TicketSlaTable } from '../sla.tables'
import { compiledCalendarOf, type CalendarRow } from '../storage/calendar-store'
import { NEVER_DUE } from './store-ticket-sla'
import { arrayParam } from '../../../platform/db/plan-cache'

const MINUTE = 60_000
const NAMES: Record<SlaTargetKey, 'firstResponse' | 'nextResponse' | 'resolution'> = {
  first_response: 'firstResponse', next_response: 'nextResponse', resolution: 'resolution',
}

/** A stored target as the presenter reads it: its instants in epoch milliseconds. */
export interface StoredTarget {
  target: SlaTargetKey
  cycle: number
  state: TicketSlaTable['state']
  counting: boolean
  targetMs: number
  elapsedMs: number
  dueAt: number | null
  warningAt: number | null
  warning: boolean
  metAt: number | null
  breachedAt: number | null
  computedAt: number
}

/**
 * A stored target brought forward to `now`: while its clock counts, the business time since it
 * was computed is added (so remaining minutes tick down and a passed deadline reads `breached`
 * before the breach job has run). Stored paused / met targets are exact as they are.
 */
export function liveTarget(row: StoredTarget, cal: CompiledCalendar | null, now: number): Omit<TicketSlaTargetView, 'dueAt' | 'metAt' | 'breachedAt' | 'warningAt'> & {
  dueAt: number | null; metAt: number | null; breachedAt: number | null; warningAt: number | null
} {
  let elapsed = row.elapsedMs
  let state = row.state
  let breachedAt = row.breachedAt
  let warning = row.warning
  const { dueAt, warningAt, computedAt } = row
  if (row.counting && cal && now > computedAt) {
    elapsed += cal.cum(now) - cal.cum(computedAt)
    if (state === 'running' && dueAt !== null && now >= dueAt) {
      state = 'breached'
      breachedAt = dueAt
    }
    if (row.metAt === null && warningAt !== null && now >= warningAt) warning = true
  }
  return {
    state, dueAt, metAt: row.metAt, breachedAt, warningAt, warning,
    targetMinutes: Math.floor(row.targetMs / MINUTE),
    elapsedMinutes: Math.floor(elapsed / MINUTE),
    remainingMinutes: Math.floor((row.targetMs - elapsed) / MINUTE),
    ...(row.target === 'next_response' ? { cycle: row.cycle } : {}),
  }
}

const iso = (msValue: number | null, zone: string): string | null => (msValue === null ? null : isoInZone(msValue, zone))

const calendarRows = new Map<string, CalendarRow>()

/** Calendars by id at the given versions: from memory, reading only new or changed ones. */
async function calendarsAt(db: Executor, wanted: Map<string, number>): Promise<Map<string, CalendarRow>> {
  const stale = [...wanted].filter(([id, version]) => new Date(calendarRows.get(id)?.updated_at ?? 0).getTime() !== version).map(([id]) => id)
  if (stale.length) {
    for (const row of (await sql<CalendarRow>`select * from sla_calendars where id = any(${stale}::uuid[])`.execute(db)).rows) calendarRows.set(row.id, row)
  }
  return calendarRows
}

/**
 * The `sla` field of tickets for staff (customers see none), for a page of tickets in one query
 * (summaries with their policy names, targets and calendar versions); calendars come from memory.
 */
export async function loadTicketSlaViews(db: Executor, actor: Actor, ids: string[], now: Date): Promise<Map<string, { sla: TicketSlaView | null }>> {
  const out = new Map<string, { sla: TicketSlaView | null }>()
  if (actor.role === 'customer' || ids.length === 0) return out
  // Instants as epoch milliseconds (truncated, as a Date would read them), each target as one
  // JSON array: no timestamp is formatted to text by PostgreSQL and parsed back here.
  const summaries = (await sql<{ ticket_id: string; policy_id: string | null; policy_name: string | null; calendar_id: string | null
    calendar_version: Date | null; next_due_at: Date; targets: TargetTuple[] | null }>`
    select m.ticket_id, m.policy_id, p.name as policy_name, m.calendar_id, c.updated_at as calendar_version, m.next_due_at,
      (select json_agg(json_build_array(s.target, s.cycle, s.state, s.counting, s.target_ms, s.elapsed_ms, ${epochMs('s.due_at')},
        ${epochMs('s.warning_at')}, s.warning, ${epochMs('s.met_at')}, ${epochMs('s.breached_at')}, ${epochMs('s.computed_at')}))
        from ticket_sla s where s.ticket_id = m.ticket_id) as targets
    from ticket_sla_summary m left join sla_policies p on p.id = m.policy_id left join sla_calendars c on c.id = m.calendar_id
    where m.ticket_id = any(${arrayParam(ids, 'uuid')})`.execute(db)).rows
  const versions = new Map(summaries.filter((s) => s.calendar_id && s.calendar_version).map((s) => [s.calendar_id!, new Date(s.calendar_version!).getTime()]))
  const calendars = versions.size ? await calendarsAt(db, versions) : calendarRows

  const t0 = now.getTime()
  for (const s of summaries) {
    const calRow = s.calendar_id ? calendars.get(s.calendar_id) : undefined
    const cal = calRow ? compiledCalendarOf(calRow) : null
    const zone = calRow?.timezone ?? actor.timezone ?? 'America/Mexico_City'
    const view: TicketSlaView = {
      policy: s.policy_id ? { id: s.policy_id, name: s.policy_name ?? '' } : null,
      nextDueAt: new Date(s.next_due_at).getTime() >= NEVER_DUE.getTime() ? null : iso(new Date(s.next_due_at).getTime(), zone),
      firstResponse: null, nextResponse: null, resolution: null,
    }
    for (const tuple of s.targets ?? []) {
      const row = storedTarget(tuple)
      const live = liveTarget(row, cal?.compiled ?? null, t0)
      view[NAMES[row.target]] = {
        ...live, dueAt: iso(live.dueAt, zone), metAt: iso(live.metAt, zone), breachedAt: iso(live.breachedAt, zone), warningAt: iso(live.warningAt, zone),
      }
    }
    out.set(s.ticket_id, { sla: view })
  }
  return out
}

/** `floor(extract(epoch from <column>) * 1000)`: an instant in epoch milliseconds, null stays null. */
const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)`)

type TargetTuple = [SlaTargetKey, number, TicketSlaTable['state'], boolean, number | string, number | string,
  number | null, number | null, boolean, number | null, number | null, number]

function storedTarget(t: TargetTuple): StoredTarget {
  return {
    target: t[0], cycle: t[1], state: t[2], counting: t[3], targetMs: Number(t[4]), elapsedMs: Number(t[5]),
    dueAt: t[6], warningAt: t[7], warning: t[8], metAt: t[9], breachedAt: t[10], computedAt: t[11],
  }
}
