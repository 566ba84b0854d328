import type { ColumnType, Generated } from 'kysely'
import type { EscalationRule, SlaPolicyConditions } from '../../../../common/src/sla/sla-policy.types'
import type { SlaPriority, SlaTargets } from '../../../../common/src/sla/sla.types'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, T | string, T | string>
/** A JSON column with a database default. */
type JsonDefault<T> = ColumnType<T, T | string | undefined, T | string>

export type SlaTargetKey = 'first_response' | 'next_response' | 'resolution'

export interface CalendarHoliday { date: string; name: string | null }

export interface SlaCalendarsTable {
  id: Generated<string>
  name: string
  builtin: 'default' | '24x7' | null
  is_default: Generated<boolean>
  timezone: string
  hours: Json<Record<string, [string, string][]>>
  holidays: JsonDefault<CalendarHoliday[]>
  statutory: 'MX' | null
  removed_holidays: Generated<string[]>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface SlaPoliciesTable {
  id: Generated<string>
  position: Generated<number>
  name: string
  description: string | null
  active: Generated<boolean>
  conditions: Json<SlaPolicyConditions>
  targets: Json<Partial<Record<SlaPriority, SlaTargets>>>
  calendar_mode: Generated<'business' | '24x7'>
  calendar_id: string | null
  pause_on_hold: Generated<boolean>
  resolution_start: Generated<'created' | 'info_complete'>
  warning_percent: Generated<number>
  escalations: JsonDefault<EscalationRule[]>
  preset_key: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface TicketSlaTable {
  ticket_id: string
  target: SlaTargetKey
  cycle: number
  state: 'running' | 'paused' | 'met' | 'breached'
  counting: boolean
  target_ms: number
  elapsed_ms: number
  due_at: Date | null
  warning_at: Date | null
  warning: boolean
  met_at: Date | null
  breached_at: Date | null
  computed_at: Date
}

export interface TicketSlaSummaryTable {
  ticket_id: string
  policy_id: string | null
  calendar_id: string | null
  next_due_at: Date
  warning_at: Date | null
  overdue_since: Date | null
  /** Generated: least(overdue_since, next_due_at) — the sort key of "sort=sla_due" (migration 0270). */
  due_order_at: ColumnType<Date, never, never>
  computed_at: Date
}

export interface SlaEscalationsTable {
  ticket_id: string
  target: SlaTargetKey
  cycle: number
  kind: 'warning' | 'breach'
  fired_at: Date
  suppressed: Generated<boolean>
  actions: JsonDefault<unknown[]>
}

export interface SlaBreachesTable {
  id: Generated<number>
  ticket_id: string
  target: SlaTargetKey
  cycle: number
  policy_id: string | null
  priority: string | null
  category_id: string | null
  team_id: string | null
  assignee_id: string | null
  organization_id: string | null
  target_minutes: number
  due_at: Date
  breached_at: Date
  met_at: Date | null
  recorded_at: CreatedAt
}

export interface SlaCutoffsTable {
  id: Generated<string>
  name: string
  calendar_id: string | null
  days: string[]
  times: string[]
  filter: Json<Record<string, unknown>>
  action: 'public_update' | 'internal_note' | 'none'
  template_es: string
  template_en: string
  remind_assignee: Generated<boolean>
  active: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface SlaCutoffRunsTable {
  cutoff_id: string
  scheduled_for: Date
  ran_at: Date
  tickets: number
}

/** The SLA module's tables (migration 0200). */
export interface SlaTables {
  sla_calendars: SlaCalendarsTable
  sla_policies: SlaPoliciesTable
  ticket_sla: TicketSlaTable
  ticket_sla_summary: TicketSlaSummaryTable
  sla_escalations: SlaEscalationsTable
  sla_breaches: SlaBreachesTable
  sla_cutoffs: SlaCutoffsTable
  sla_cutoff_runs: SlaCutoffRunsTable
}
