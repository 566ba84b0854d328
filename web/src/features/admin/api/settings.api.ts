import { api } from '../../../app/api-client'
import type { Priority } from '../../tickets/api/tickets.api'

/** GET/PATCH /api/v1/ticket-settings: what a ticket gets when its creator leaves it out, and the reopen window. */
export interface TicketSettings { reopenWindowDays: number; defaultTypeCode: string; defaultPriority: Priority; defaultCategoryId: string | null }

/** One helpdesk setting of GET /api/v1/settings; `description` comes in the request's language. */
export interface Setting { key: string; value: unknown; default: unknown; isDefault: boolean; description: string; updatedAt: string | null }

/** Helpdesk settings (admins): ticket defaults, and the key/value settings (sender, new users' language, email). */
export const settingsApi = {
  ticketSettings: () => api.get<TicketSettings>('/api/v1/ticket-settings'),
  updateTicketSettings: (body: Partial<TicketSettings>) => api.patch<TicketSettings>('/api/v1/ticket-settings', body),
  settings: () => api.get<{ items: Setting[] }>('/api/v1/settings').then((r) => r.items),
  /** Changes the given keys; null restores a key's default. */
  updateSettings: (changes: Record<string, unknown>) => api.patch<{ items: Setting[] }>('/api/v1/settings', changes).then((r) => r.items),
}
