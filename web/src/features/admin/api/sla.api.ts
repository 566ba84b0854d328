import { api } from '../../../app/api-client'
import type { Channel, Priority, SlaTargetState, StatusCode } from '../../tickets/api/tickets.api'

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
export type Hours = Partial<Record<Weekday, Array<[string, string]>>>

export interface SlaCalendar {
  id: string; name: string; builtin: string | null; isDefault: boolean; timezone: string; hours: Hours; statutory: string | null
  removedHolidays: string[]; holidays: Array<{ date: string; name: string | null; source: 'statutory' | 'custom' }>; weeklyMinutes: number
}
export interface CalendarInput { name?: string; timezone?: string; hours?: Hours; statutory?: 'MX' | null; isDefault?: boolean; holidays?: Array<{ date: string; name?: string | null }> }

export interface TargetMinutes { firstResponseMinutes?: number; nextResponseMinutes?: number; resolutionMinutes?: number }
export interface PolicyConditions { types?: string[]; categoryIds?: string[]; priorities?: Priority[]; organizationIds?: string[]; tiers?: string[]; channels?: Channel[] }
export interface SlaPolicy {
  id: string; name: string; description: string | null; position: number; active: boolean; conditions: PolicyConditions
  targets: Partial<Record<Priority, TargetMinutes>>; calendar: 'business' | '24x7'; calendarId: string | null; pauseOnHold: boolean
  resolutionStart: 'created' | 'info_complete'; warningPercent: number; escalations: EscalationRule[]; presetKey: string | null
}
export type PolicyInput = Partial<Omit<SlaPolicy, 'id' | 'presetKey'>>

/** Escalations ("escalamientos"): at warning or at breach, for some targets (all when none), run actions once per ticket. */
export type EscalationTrigger = 'warning' | 'breach'
export type EscalationRecipient = 'assignee' | 'team_lead' | 'supervisors'
export type SlaTargetName = 'firstResponse' | 'nextResponse' | 'resolution'
export type EscalationAction =
  | { type: 'notify'; recipients: EscalationRecipient[] }
  | { type: 'raise_priority' }
  | { type: 'move'; teamId?: string | null; level?: number | null }
export interface EscalationRule { on: EscalationTrigger; targets?: SlaTargetName[]; actions: EscalationAction[] }

/** Cut-offs ("cortes"): scheduled times in a calendar's zone acting on the open tickets matching a filter. */
export type CutoffAction = 'public_update' | 'internal_note' | 'none'
export interface CutoffFilter { categoryId?: string[]; type?: string[]; priority?: Priority[]; teamId?: string[]; channel?: Channel[] }
export interface SlaCutoff {
  id: string; name: string; calendarId: string | null; timezone: string; days: Weekday[]; times: string[]; filter: CutoffFilter
  action: CutoffAction; templateEs: string; templateEn: string; remindAssignee: boolean; active: boolean; nextRunAt: string | null
}
export type CutoffInput = Partial<Omit<SlaCutoff, 'id' | 'timezone' | 'nextRunAt'>>
export interface CutoffDue { cutoff: { id: string; name: string }; nextCutoffAt: string | null; items: Array<{ id: string; number: number; subject: string; nextDueAt: string | null }> }

export type SimEventType = 'created' | 'agent_reply' | 'customer_reply' | 'status'
export interface SimEvent { at: string; type: SimEventType; status?: StatusCode }
export interface SimTarget { state: SlaTargetState; dueAt: string | null; metAt: string | null; breachedAt: string | null; elapsedMinutes: number; remainingMinutes: number }
export interface SimRequest {
  calendarId?: string; policyId?: string; priority?: Priority; targets?: TargetMinutes; pauseOnHold?: boolean
  resolutionStart?: 'created' | 'info_complete'; events: SimEvent[]; now?: string
}
export type SimResult = Partial<Record<'firstResponse' | 'nextResponse' | 'resolution', SimTarget | null>>

export const slaApi = {
  simulate: (b: SimRequest) => api.post<SimResult>('/api/v1/sla/simulate', b),
  calendars: () => api.get<{ items: SlaCalendar[] }>('/api/v1/sla/calendars').then((r) => r.items),
  calendar: (id: string, year?: number) => api.get<SlaCalendar>(`/api/v1/sla/calendars/${id}${year ? `?year=${year}` : ''}`),
  createCalendar: (b: CalendarInput) => api.post<SlaCalendar>('/api/v1/sla/calendars', b),
  updateCalendar: (id: string, b: CalendarInput) => api.patch<SlaCalendar>(`/api/v1/sla/calendars/${id}`, b),
  deleteCalendar: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/sla/calendars/${id}`),
  addHoliday: (id: string, b: { date: string; name?: string | null }) => api.post<SlaCalendar>(`/api/v1/sla/calendars/${id}/holidays`, b),
  removeHoliday: (id: string, date: string) => api.delete<SlaCalendar>(`/api/v1/sla/calendars/${id}/holidays/${date}`),
  policies: () => api.get<{ items: SlaPolicy[] }>('/api/v1/sla/policies').then((r) => r.items),
  createPolicy: (b: PolicyInput) => api.post<SlaPolicy>('/api/v1/sla/policies', b),
  updatePolicy: (id: string, b: PolicyInput) => api.patch<SlaPolicy>(`/api/v1/sla/policies/${id}`, b),
  deletePolicy: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/sla/policies/${id}`),
  orderPolicies: (ids: string[]) => api.put<{ items: SlaPolicy[] }>('/api/v1/sla/policies/order', { ids }),
  cutoffs: () => api.get<{ items: SlaCutoff[] }>('/api/v1/sla/cutoffs').then((r) => r.items),
  createCutoff: (b: CutoffInput) => api.post<SlaCutoff>('/api/v1/sla/cutoffs', b),
  updateCutoff: (id: string, b: CutoffInput) => api.patch<SlaCutoff>(`/api/v1/sla/cutoffs/${id}`, b),
  deleteCutoff: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/sla/cutoffs/${id}`),
  cutoffDue: (id: string) => api.get<CutoffDue>(`/api/v1/sla/cutoffs/${id}/due`),
  loadExampleSet: (preset: string) => api.post<{ preset: string; categoriesCreated: number; policiesCreated: number; policiesKept: number; cutoffsCreated: number }>(`/api/v1/sla/example-sets/${preset}`),
}
