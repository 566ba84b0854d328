import { api, toQuery } from '../../../app/api-client'
import type { CancelReason, Channel, Priority, StatusCode, TicketAbilities, TicketSort } from '../../../../../common/src/tickets/tickets.types'

export type { CancelReason, Channel, Priority, StatusCode, TicketAbilities, TicketSort }

export interface Ref { id: string; name: string }
export interface PersonRef { id: string; name: string; email?: string | null; phone?: string | null }
export interface SiteRef { id: string; code?: string | null; name: string }
export interface TypeRef { id: string; code: string; name: string }
export interface CategoryRef { id: string; name: string; path?: Array<{ id: string; name: string }> }
export interface StatusRef { id: string; key: string; label: string }

export type SlaTargetState = 'running' | 'paused' | 'met' | 'breached'
/** One SLA target of a live ticket, as of the request (dueAt with the calendar's offset). */
export interface SlaTarget {
  state: SlaTargetState
  dueAt: string | null
  metAt: string | null
  breachedAt: string | null
  warningAt?: string | null
  warning?: boolean
  targetMinutes?: number
  elapsedMinutes: number
  /** Business minutes left; negative once overdue. */
  remainingMinutes: number
  cycle?: number
}
export interface TicketSla {
  policy: { id: string; name: string } | null
  nextDueAt: string | null
  firstResponse: SlaTarget | null
  nextResponse: SlaTarget | null
  resolution: SlaTarget | null
}

/** A ticket as lists show it (GET /api/v1/tickets items). */
export interface TicketSummary {
  id: string
  number: number
  subject: string
  status: StatusCode
  customStatus?: StatusRef | null
  priority: Priority
  channel: Channel
  type: TypeRef | null
  category: CategoryRef | null
  requester: PersonRef | null
  organization: Ref | null
  site: SiteRef | null
  assignee: Ref | null
  team: Ref | null
  supportLevel?: number | null
  tags?: string[]
  customFields?: Record<string, unknown>
  callCount?: number
  /** Staff only, when an SLA policy applies (SLA module). */
  sla?: TicketSla | null
  snippet?: string
  createdAt: string
  updatedAt: string
}

export interface ExternalRef { id: string; kind: 'provider_case' | 'call_id' | 'other'; provider?: string | null; value: string }
export interface TicketLink { id: string; type: string; ticket: { id: string; number: number; subject: string; status: StatusCode } }
export interface Attachment { id: string; filename: string; contentType: string; size: number; url?: string; createdAt?: string; commentId?: string | null }

/** One ticket with everything its page shows (GET /api/v1/tickets/:id). */
export interface TicketDetail extends TicketSummary {
  description: string
  descriptionHtml?: string
  /** Who else gets the public replies by email (staff see them). */
  watchers?: PersonRef[]
  externalRefs?: ExternalRef[]
  allowedStatuses?: string[]
  thirdParty?: string | null
  thirdPartyRef?: string | null
  cancelReason?: CancelReason | null
  cancelNote?: string | null
  duplicateOfId?: string | null
  followUpOf?: { id: string; number: number } | null
  firstResponseAt?: string | null
  resolvedAt?: string | null
  closedAt?: string | null
  abilities?: Partial<TicketAbilities>
}

export interface Comment {
  id: string
  internal: boolean
  channel: string
  author: (PersonRef & { role?: string }) | null
  body: string
  bodyHtml?: string
  attachments?: Attachment[]
  createdAt: string
}

export interface HistoryEntry {
  id: number | string
  at: string
  actor: Ref | null
  via: string
  action: string
  field: string | null
  oldValue: unknown
  newValue: unknown
}

export interface MailAddress { address: string; name: string }
/** A mail received or sent on a ticket (staff only): headers and, for received mail, the original. */
export interface TicketEmail {
  id: string; direction: 'inbound' | 'outbound'; messageId: string | null; from: MailAddress | null; to: MailAddress[]; cc: MailAddress[]
  subject: string; status: string; template: string | null; commentId: string | null; attachmentIds: string[]; at: string; rawUrl: string | null
}

export interface Page<T> { items: T[]; nextCursor: string | null; exactMatch?: { id: string; number: number } | null }

/** Filters that ride in a saved view (the API's FILTER_KEYS); the text search `q` is not one of them. */
export const VIEW_FILTER_KEYS = ['statusCategory', 'status', 'priority', 'type', 'categoryId', 'assignee', 'teamId', 'organizationId', 'requesterId',
  'channel', 'tag', 'externalRef', 'cf', 'sla', 'createdFrom', 'createdTo', 'updatedFrom', 'updatedTo', 'resolvedFrom', 'resolvedTo'] as const

export type SlaFilter = 'due_today' | 'breached' | 'warning'

/**
 * What GET /api/v1/tickets filters on, with the API's own names (issue 3 §8): lists repeat the key
 * (`statusCategory=open&statusCategory=pending`, the querystring schema's arrays); empty means "any".
 */
export interface TicketFilters {
  q?: string
  /** Base status categories (new, open…). */
  statusCategory?: StatusCode[]
  /** Status keys, custom ones included. */
  status?: string[]
  priority?: Priority[]
  /** Ticket type codes. */
  type?: string[]
  /** Includes sub-categories; `none` = without category. */
  categoryId?: string[]
  /** `me`, `unassigned` or user ids. */
  assignee?: string[]
  /** Team ids or `none`. */
  teamId?: string[]
  organizationId?: string[]
  requesterId?: string[]
  channel?: Channel[]
  tag?: string[]
  externalRef?: string
  /** Custom field values as `key:value`. */
  cf?: string[]
  sla?: SlaFilter[]
  createdFrom?: string
  createdTo?: string
  updatedFrom?: string
  updatedTo?: string
  resolvedFrom?: string
  resolvedTo?: string
}

/** Date-only bounds become the start of that day / the start of the next one in the viewer's browser zone. */
export function dayBound(d: string | undefined, end: boolean) {
  if (!d) return undefined
  if (d.includes('T')) return d
  const local = new Date(`${d}T00:00:00`)
  if (isNaN(local.getTime())) return undefined
  if (end) local.setDate(local.getDate() + 1)
  return local.toISOString()
}

/** The filters as a saved view stores them: only the API's filter keys, without empties. */
export function viewFilters(f: TicketFilters): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const k of VIEW_FILTER_KEYS) {
    const v = f[k]
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue
    out[k] = Array.isArray(v) ? [...v] : k.endsWith('From') ? dayBound(v, false) ?? v : k.endsWith('To') ? dayBound(v, true) ?? v : v
  }
  return out
}

export function ticketQuery(f: TicketFilters, extra: { sort?: string; cursor?: string | null; limit?: number; view?: string } = {}) {
  return toQuery({
    view: extra.view, q: f.q?.trim() || undefined, ...viewFilters(f),
    sort: extra.sort, cursor: extra.cursor ?? undefined, limit: extra.limit,
  })
}

/** A status change (a status key or custom status key), with what some statuses require. */
export interface StatusChange {
  status: string
  cancelReason?: CancelReason | null
  cancelNote?: string | null
  duplicateOfId?: string | null
  thirdParty?: string | null
  thirdPartyRef?: string | null
}

export interface TicketPatch {
  subject?: string
  status?: StatusChange
  priority?: Priority
  /** Type code or id. */
  type?: string
  categoryId?: string | null
  assigneeId?: string | null
  teamId?: string | null
  siteId?: string | null
  tags?: string[]
  customFields?: Record<string, unknown>
  addWatcherIds?: string[]
  removeWatcherIds?: string[]
}

export interface NewTicket {
  subject: string
  description: string
  /** Type code or id. */
  type?: string
  categoryId?: string
  priority?: Priority
  channel?: Channel
  requesterId?: string
  requester?: { name: string; email?: string | null; phone?: string | null; organizationId?: string | null }
  organizationId?: string
  siteId?: string
  customFields?: Record<string, unknown>
  externalRefs?: Array<{ kind: 'call_id' | 'provider_case' | 'other'; value: string }>
  /** The call this ticket is opened on (counts as its first call). */
  callId?: string
  attachmentIds?: string[]
}

/** Counts by status under the list's filters minus the status ones (the server's dashboard counts). */
export interface StatusCounts {
  total: number
  byStatus: Partial<Record<StatusCode, number>>
  byCustomStatus?: Array<{ id: string; key: string; status: StatusCode; label: string; count: number }>
}

/** The filters without the status ones (what /tickets/counts takes into account). */
export function withoutStatus(f: TicketFilters): TicketFilters {
  const { status: _s, statusCategory: _c, ...rest } = f
  return rest
}

/** One cache entry per distinct counts request (the summary strip and the "Todos" view share one). */
export const countsKey = (f: TicketFilters, view?: string) => ['tickets', 'counts', f, view ?? null] as const

/** How many tickets a list with these filters has: the counts ignore status filters, so apply them here. */
export function countFor(c: StatusCounts, f: Pick<TicketFilters, 'status' | 'statusCategory'>): number {
  const categories = f.statusCategory?.length ? new Set<string>(f.statusCategory) : null
  if (f.status?.length) {
    const keys = new Set(f.status)
    return (c.byCustomStatus ?? []).filter((s) => keys.has(s.key) && (!categories || categories.has(s.status))).reduce((n, s) => n + s.count, 0)
  }
  if (categories) return [...categories].reduce((n, k) => n + (c.byStatus[k as StatusCode] ?? 0), 0)
  return c.total
}

/** One ticket's outcome in POST /tickets/bulk (`error.message` is already in the UI language). */
export interface BulkResult { id: string; ok: boolean; changed?: string[]; error?: { code: string; message: string } }

/** PATCH and bulk take the status change flat (status, thirdParty…); comments take it as an object. */
function flatPatch(p: TicketPatch): Record<string, unknown> {
  const { status, ...rest } = p
  return status ? { ...rest, ...status } : rest
}

export const ticketsApi = {
  list: (f: TicketFilters, opts: { sort?: string; cursor?: string | null; limit?: number; view?: string } = {}, signal?: AbortSignal) =>
    api.get<Page<TicketSummary>>(`/api/v1/tickets${ticketQuery(f, opts)}`, { signal }),
  counts: (f: TicketFilters, signal?: AbortSignal, view?: string) => api.get<StatusCounts>(`/api/v1/tickets/counts${ticketQuery(f, { view })}`, { signal }),
  get: (id: string) => api.get<TicketDetail>(`/api/v1/tickets/${encodeURIComponent(id)}`),
  byNumber: (n: string) => api.get<TicketDetail>(`/api/v1/tickets/by-number/${encodeURIComponent(n)}`),
  create: (body: NewTicket) => api.post<TicketDetail>('/api/v1/tickets', body),
  update: (id: string, patch: TicketPatch) => api.patch<TicketDetail>(`/api/v1/tickets/${id}`, flatPatch(patch)),
  comments: (id: string) => api.get<Page<Comment> | Comment[]>(`/api/v1/tickets/${id}/comments?limit=200`),
  addComment: (id: string, body: { body: string; bodyHtml?: string; internal: boolean; status?: StatusChange; mentions?: string[]; attachmentIds?: string[] }) =>
    api.post<{ comment: Comment; followUpTicket: { id: string; number: number } | null }>(`/api/v1/tickets/${id}/comments`, body),
  attachments: (id: string) => api.get<Page<Attachment>>(`/api/v1/tickets/${id}/attachments`).then((r) => r.items),
  links: (id: string) => api.get<Page<TicketLink>>(`/api/v1/tickets/${id}/links`).then((r) => r.items),
  history: (id: string) => api.get<Page<HistoryEntry> | HistoryEntry[]>(`/api/v1/tickets/${id}/history?limit=200`),
  upload: (id: string, files: File[]) => {
    const fd = new FormData()
    for (const f of files) fd.append('file', f, f.name)
    return api.post<Page<Attachment> | Attachment[]>(`/api/v1/tickets/${id}/attachments`, fd)
  },
  addLink: (id: string, type: string, number: number) => api.post<TicketLink>(`/api/v1/tickets/${id}/links`, { type, number }),
  merge: (id: string, targetId: string) => api.post<unknown>(`/api/v1/tickets/${id}/merge`, { targetId }),
  bulk: (ids: string[], patch: TicketPatch) => api.post<{ results: BulkResult[] }>('/api/v1/tickets/bulk', { ids, changes: flatPatch(patch) }),
  emails: (id: string) => api.get<{ items: TicketEmail[] }>(`/api/v1/tickets/${id}/emails`).then((r) => r.items),
  addCall: (id: string, body: { callId?: string; note?: string }) => api.post<{ callCount: number }>(`/api/v1/tickets/${id}/calls`, body),
}

/** Lists answer either a bare array or a page; both become an array. */
export function itemsOf<T>(res: Page<T> | T[] | undefined): T[] {
  if (!res) return []
  return Array.isArray(res) ? res : res.items
}

export const ACTIVE_STATUSES: StatusCode[] = ['new', 'open', 'pending', 'on_hold']

/** Uploads files to the ticket and returns their ids. */
export async function uploadFiles(ticketId: string, files: File[]): Promise<string[]> {
  if (!files.length) return []
  const res = await ticketsApi.upload(ticketId, files)
  return itemsOf(res).map((a) => a.id)
}
