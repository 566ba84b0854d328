import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import type { TicketSlaTargetView, TicketSlaView } from '../../../../../common/src/sla/sla.types'
import type { CompiledCalendar } from '../calendar/compiled-calendar'
import { isoInZone } from '../calendar/zone-iso'
import type { SlaTargetKey, TicketSlaTable } from '../sla.tables'
import { compiledCalendarOf, type CalendarRow } from '../storage/calendar-store'
import { NEVER_DUE } from './store-ticket-sla'

const MINUTE = 60_000
const NAMES: Record<SlaTargetKey, 'firstResponse' | 'nextResponse' | 'resolution'> = {
  first_response: 'firstResponse', next_response: 'nextResponse', resolution: 'resolution',
}

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime())

/**
 * A stored target brought forward to `now`: while its clock counts, the business time since it
 * was computed is added (so remaining minutes tick down and a passed deadline reads `breached`
 * before the breach job has run). Stored paused / met targets are exact as they are.
 */
export function liveTarget(row: TicketSlaTable, cal: CompiledCalendar | null, now: number): Omit<TicketSlaTargetView, 'dueAt' | 'metAt' | 'breachedAt' | 'warningAt'> & {
  dueAt: number | null; metAt: number | null; breachedAt: number | null; warningAt: number | null
} {
  let elapsed = Number(row.elapsed_ms)
  const target = Number(row.target_ms)
  let state = row.state
  let breachedAt = ms(row.breached_at)
  let warning = row.warning
  const dueAt = ms(row.due_at)
  const warningAt = ms(row.warning_at)
  const computedAt = ms(row.computed_at)!
  if (row.counting && cal && now > computedAt) {
    elapsed += cal.cum(now) - cal.cum(computedAt)
    if (state === 'running' && dueAt !== null && now >= dueAt) {
      state = 'breached'
      breachedAt = dueAt
    }
    if (row.met_at === null && warningAt !== null && now >= warningAt) warning = true
  }
  return {
    state, dueAt, metAt: ms(row.met_at), breachedAt, warningAt, warning,
    targetMinutes: Math.floor(target / MINUTE),
    elapsedMinutes: Math.floor(elapsed / MINUTE),
    remainingMinutes: Math.floor((target - elapsed) / MINUTE),
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
  const summaries = (await sql<{ ticket_id: string; policy_id: string | null; policy_name: string | null; calendar_id: string | null
    calendar_version: Date | null; next_due_at: Date; targets: TicketSlaTable[] }>`
    select m.ticket_id, m.policy_id, p.name as policy_name, m.calendar_id, c.updated_at as calendar_version, m.next_due_at,
      coalesce((select json_agg(s) from ticket_sla s where s.ticket_id = m.ticket_id), '[]') as targets
    from ticket_sla_summary m left join sla_policies p on p.id = m.policy_id left join sla_calendars c on c.id = m.calendar_id
    where m.ticket_id = any(${ids}::uuid[])`.execute(db)).rows
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
    for (const row of s.targets) {
      const live = liveTarget(row, cal?.compiled ?? null, t0)
      view[NAMES[row.target]] = {
        ...live, dueAt: iso(live.dueAt, zone), metAt: iso(live.metAt, zone), breachedAt: iso(live.breachedAt, zone), warningAt: iso(live.warningAt, zone),
      }
    }
    out.set(s.ticket_id, { sla: view })
  }
  return out
}
