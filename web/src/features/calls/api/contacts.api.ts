import { api, toQuery } from '../../../app/api-client'

/** A contact (customer) as GET /api/v1/contacts lists it. */
export interface Contact {
  id: string
  name: string
  email: string | null
  phone: string | null
  organization: { id: string; name: string; tier?: string | null } | null
  site: { id: string; code: string; name: string } | null
  openTickets?: number
}

export const contactsApi = {
  search: (q: string, signal?: AbortSignal) => api.get<{ items: Contact[] }>(`/api/v1/contacts/search${toQuery({ q, limit: 8 })}`, { signal }).then((r) => r.items),
}
