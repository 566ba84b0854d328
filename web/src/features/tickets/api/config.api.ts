import { api, toQuery } from '../../../app/api-client'
import type { CustomFieldKind, Priority, StatusCode } from '../../../../../common/src/tickets/tickets.types'
import { itemsOf, type Page, type Ref, type TicketFilters } from './tickets.api'

export interface TicketType { id: string; code: string; nameEs?: string; nameEn?: string; name?: string; active?: boolean; requiresEvidence?: boolean; position?: number }
export interface Category { id: string; parentId: string | null; name: string; fullName?: string; path?: string[]; depth?: number; active?: boolean; defaultTeamId?: string | null; defaultPriority?: Priority | null; defaultTypeId?: string | null; position?: number }
export interface TicketStatus { id: string; key: string; status: StatusCode; labelEs?: string; labelEn?: string; label?: string; active?: boolean; position?: number }
export interface FieldOption { value: string; labelEs: string; labelEn: string }
export interface CustomField {
  id: string; key: string; labelEs?: string; labelEn?: string; label?: string; description?: string | null; kind: CustomFieldKind
  options?: FieldOption[]; typeIds?: string[]; required?: boolean; customerVisible?: boolean; customerEditable?: boolean; position?: number; active?: boolean
}
export interface UserRef { id: string; name: string; email: string | null; role?: string; active?: boolean }
export interface Team { id: string; name: string; level?: number | null; memberIds?: string[] }
export interface SavedView { id: string; name: string; scope?: 'personal' | 'team'; teamId?: string | null; filters: TicketFilters; sort?: string; position?: number; mine?: boolean }

export type { CustomFieldKind }

export const configApi = {
  types: () => api.get<Page<TicketType> | TicketType[]>('/api/v1/ticket-types').then(itemsOf),
  categories: () => api.get<Page<Category> | Category[]>('/api/v1/categories').then(itemsOf),
  statuses: () => api.get<Page<TicketStatus> | TicketStatus[]>('/api/v1/statuses').then(itemsOf),
  customFields: () => api.get<Page<CustomField> | CustomField[]>('/api/v1/custom-fields').then(itemsOf),
  /** Every active staff member, page after page (a call centre has hundreds): the assignee, mention and follower pickers. */
  agents: async () => {
    const all: UserRef[] = []
    let cursor: string | null = null
    do {
      const page: Page<UserRef> = await api.get<Page<UserRef>>(`/api/v1/users${toQuery({ role: ['agent', 'supervisor', 'admin'], active: 'true', limit: 200, cursor: cursor ?? undefined })}`)
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor && all.length < 5000)
    return all
  },
  teams: () => api.get<Page<Team> | Team[]>('/api/v1/teams').then(itemsOf),
  /** Organizations whose name matches q (the filter's search box), 20 at a time. */
  organizations: (q: string) => api.get<Page<Ref> | Ref[]>(`/api/v1/organizations${toQuery({ q: q.trim() || undefined, limit: 20 })}`).then(itemsOf),
  views: () => api.get<Page<SavedView> | SavedView[]>('/api/v1/ticket-views').then(itemsOf),
  createView: (body: { name: string; filters: Record<string, string | string[]>; sort?: string; teamId?: string | null }) => api.post<SavedView>('/api/v1/ticket-views', body),
  deleteView: (id: string) => api.delete<unknown>(`/api/v1/ticket-views/${id}`),
}

/** The label of a bilingual config row in the UI language. */
export function labelOf(row: { nameEs?: string; nameEn?: string; name?: string; labelEs?: string; labelEn?: string; label?: string } | null | undefined, lang: string): string {
  if (!row) return ''
  const en = lang.startsWith('en')
  return (en ? row.nameEn ?? row.labelEn : row.nameEs ?? row.labelEs) ?? row.name ?? row.label ?? ''
}
