import { api } from '../../../app/api-client'
import type { Priority, StatusCode } from '../../tickets/api/tickets.api'
import type { Category, CustomField, CustomFieldKind, FieldOption, TicketStatus, TicketType } from '../../tickets/api/config.api'

export interface TypeInput { code?: string; nameEs?: string; nameEn?: string; description?: string | null; position?: number; active?: boolean; requiresEvidence?: boolean }
export interface FieldInput {
  key?: string; labelEs?: string; labelEn?: string; description?: string | null; kind?: CustomFieldKind; options?: FieldOption[]; typeIds?: string[]
  required?: boolean; customerVisible?: boolean; customerEditable?: boolean; position?: number; active?: boolean
}
export interface CategoryInput {
  name?: string; parentId?: string | null; description?: string | null; position?: number; active?: boolean
  defaultTeamId?: string | null; defaultPriority?: Priority | null; defaultTypeId?: string | null
}
export interface StatusInput { key?: string; status?: StatusCode; labelEs?: string; labelEn?: string; position?: number; active?: boolean }

/** Ticket configuration for administrators: types, custom fields, categories (tree) and statuses. */
export const configAdminApi = {
  createType: (b: TypeInput) => api.post<TicketType>('/api/v1/ticket-types', b),
  updateType: (id: string, b: TypeInput) => api.patch<TicketType>(`/api/v1/ticket-types/${id}`, b),
  deleteType: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/ticket-types/${id}`),
  createField: (b: FieldInput) => api.post<CustomField>('/api/v1/custom-fields', b),
  updateField: (id: string, b: FieldInput) => api.patch<CustomField>(`/api/v1/custom-fields/${id}`, b),
  deleteField: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/custom-fields/${id}`),
  createCategory: (b: CategoryInput) => api.post<Category>('/api/v1/categories', b),
  updateCategory: (id: string, b: CategoryInput) => api.patch<Category>(`/api/v1/categories/${id}`, b),
  deleteCategory: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/categories/${id}`),
  createStatus: (b: StatusInput) => api.post<TicketStatus>('/api/v1/statuses', b),
  updateStatus: (id: string, b: StatusInput) => api.patch<TicketStatus>(`/api/v1/statuses/${id}`, b),
  deleteStatus: (id: string) => api.delete<{ ok: boolean }>(`/api/v1/statuses/${id}`),
}

/**
 * Saves a new order as positions 10, 20, 30… — only the rows whose position changes are written.
 */
export async function savePositions<T extends { id: string; position?: number }>(rows: T[], orderedIds: string[], patch: (id: string, position: number) => Promise<unknown>) {
  const byId = new Map(rows.map((r) => [r.id, r]))
  for (const [i, id] of orderedIds.entries()) {
    const position = (i + 1) * 10
    if (byId.get(id)?.position !== position) await patch(id, position)
  }
}
