/** Ticket vocabulary shared by server and web: codes are English snake_case, labels live in tickets.labels.ts. */

export const STATUS_CODES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled'] as const
export type StatusCode = (typeof STATUS_CODES)[number]

/** Statuses after which nothing changes: a new reply opens a follow-up ticket instead. */
export const FINAL_STATUSES: readonly StatusCode[] = ['closed', 'cancelled']

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const
export type Priority = (typeof PRIORITIES)[number]

export const CHANNELS = ['web', 'email', 'phone', 'chat', 'sms', 'whatsapp', 'social', 'api'] as const
export type Channel = (typeof CHANNELS)[number]

export const CANCEL_REASONS = ['duplicate', 'error', 'requester_request'] as const
export type CancelReason = (typeof CANCEL_REASONS)[number]

export const CUSTOM_FIELD_KINDS = ['text', 'long_text', 'number', 'date', 'select', 'multi_select', 'checkbox', 'user', 'site'] as const
export type CustomFieldKind = (typeof CUSTOM_FIELD_KINDS)[number]

export const EXTERNAL_REF_KINDS = ['provider_case', 'call_id', 'other'] as const
export type ExternalRefKind = (typeof EXTERNAL_REF_KINDS)[number]

/** Seeded ticket type codes (admins add more). */
export const DEFAULT_TYPE_CODE = 'consulta'
export const DEFAULT_PRIORITY: Priority = 'normal'
/** Days a resolved ticket may be reopened before it closes by itself (setting tickets.reopen_window_days). */
export const DEFAULT_REOPEN_WINDOW_DAYS = 7

/** Sorts accepted by GET /api/v1/tickets (a leading '-' means descending; `sla_due`: next SLA deadline first). */
export const TICKET_SORTS = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-priority', 'priority', '-number', 'number', 'sla_due'] as const
export type TicketSort = (typeof TICKET_SORTS)[number]

/** What the viewer may do with a ticket, computed by the server's policy (the web app never re-derives it). */
export interface TicketAbilities {
  update: boolean
  assign: boolean
  comment: boolean
  commentInternal: boolean
  changeStatus: boolean
  reopen: boolean
  close: boolean
  cancel: boolean
  addCall: boolean
  link: boolean
  merge: boolean
  attach: boolean
  viewInternal: boolean
}
