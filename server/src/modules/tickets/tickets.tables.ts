import type { ColumnType, Generated } from 'kysely'
import type { Channel, CancelReason, CustomFieldKind, Priority, StatusCode } from '../../../../common/src/tickets/tickets.types'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type Json<T = unknown> = ColumnType<T, T | string, T | string>
type ReadOnly<T> = ColumnType<T, never, never>

export interface TicketTypesTable {
  id: Generated<string>
  code: string
  name_es: string
  name_en: string
  description: string | null
  position: Generated<number>
  active: Generated<boolean>
  requires_evidence: Generated<boolean>
  created_at: CreatedAt
}

export interface CategoriesTable {
  id: Generated<string>
  parent_id: string | null
  name: string
  description: string | null
  /** Ancestors then self, root first. */
  path: Generated<string[]>
  depth: Generated<number>
  position: Generated<number>
  active: Generated<boolean>
  default_team_id: string | null
  default_priority: Priority | null
  default_type_id: string | null
  created_at: CreatedAt
}

export interface TicketStatusesTable {
  id: Generated<string>
  key: string
  category: StatusCode
  label_es: string
  label_en: string
  position: Generated<number>
  active: Generated<boolean>
  is_default: Generated<boolean>
  created_at: CreatedAt
}

export interface CustomFieldOption { value: string; labelEs: string; labelEn: string }

export interface CustomFieldsTable {
  id: Generated<string>
  key: string
  label_es: string
  label_en: string
  description: string | null
  kind: CustomFieldKind
  options: ColumnType<CustomFieldOption[], string | undefined, string>
  /** Empty: every ticket type. */
  type_ids: Generated<string[]>
  required: Generated<boolean>
  customer_visible: Generated<boolean>
  customer_editable: Generated<boolean>
  position: Generated<number>
  active: Generated<boolean>
  created_at: CreatedAt
}

export interface TicketsTable {
  id: Generated<string>
  /** From ticket_number_seq (starts at 10000, never reused). */
  number: Generated<number>
  subject: string
  description: Generated<string>
  description_html: Generated<string>
  type_id: string
  category_id: string | null
  priority: Generated<Priority>
  priority_rank: ReadOnly<number>
  /** The status code; a trigger derives it from status_id (or status_id from it). */
  status: Generated<StatusCode>
  status_id: ColumnType<string, string | null | undefined, string | null>
  channel: Generated<Channel>
  requester_id: string
  organization_id: string | null
  site_id: string | null
  assignee_id: string | null
  team_id: string | null
  support_level: number | null
  tags: Generated<string[]>
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>
  third_party: string | null
  third_party_ref: string | null
  cancel_reason: CancelReason | null
  cancel_note: string | null
  duplicate_of_id: string | null
  merged_into_id: string | null
  follow_up_of_id: string | null
  call_count: Generated<number>
  reopen_count: Generated<number>
  created_by_id: string | null
  via_token_id: string | null
  created_at: CreatedAt
  updated_at: Timestamp
  status_changed_at: Timestamp
  first_response_at: NullableTimestamp
  resolved_at: NullableTimestamp
  closed_at: NullableTimestamp
  cancelled_at: NullableTimestamp
  search: ReadOnly<string>
}

export interface CommentsTable {
  id: Generated<string>
  ticket_id: string
  author_id: string | null
  internal: Generated<boolean>
  channel: Generated<Channel | 'system'>
  body_text: string
  body_html: string
  mentions: Generated<string[]>
  via_token_id: string | null
  external_id: string | null
  created_at: CreatedAt
  search: ReadOnly<string>
}

export type HistoryVia = 'web' | 'api' | 'email' | 'system' | 'import' | 'phone' | 'chat' | 'sms' | 'whatsapp' | 'social'

export interface TicketHistoryTable {
  id: Generated<number>
  ticket_id: string
  at: CreatedAt
  actor_id: string | null
  via: Generated<HistoryVia>
  via_token_id: string | null
  action: string
  field: string | null
  old_value: Json<unknown> | null
  new_value: Json<unknown> | null
  internal: Generated<boolean>
}

export interface TicketWatchersTable {
  ticket_id: string
  user_id: string
  created_at: CreatedAt
}

export interface TicketExternalRefsTable {
  id: Generated<string>
  ticket_id: string
  kind: 'provider_case' | 'call_id' | 'other'
  provider: string | null
  value: string
  created_at: CreatedAt
}

export interface TicketCallsTable {
  id: Generated<string>
  ticket_id: string
  call_id: string | null
  direction: Generated<'inbound' | 'outbound'>
  agent_id: string | null
  note: string | null
  at: CreatedAt
}

export interface TicketViewsTable {
  id: Generated<string>
  name: string
  owner_id: string | null
  team_id: string | null
  filters: ColumnType<Record<string, unknown>, string | undefined, string>
  sort: Generated<string>
  position: Generated<number>
  created_by_id: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface TicketsTables {
  ticket_types: TicketTypesTable
  categories: CategoriesTable
  ticket_statuses: TicketStatusesTable
  custom_fields: CustomFieldsTable
  tickets: TicketsTable
  comments: CommentsTable
  ticket_history: TicketHistoryTable
  ticket_watchers: TicketWatchersTable
  ticket_external_refs: TicketExternalRefsTable
  ticket_calls: TicketCallsTable
  ticket_views: TicketViewsTable
}
