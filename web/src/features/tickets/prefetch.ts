import type { QueryClient } from '@tanstack/react-query'
import type { Me } from '../auth/api/auth.api'
import { ticketQuery, ticketsApi, type Page, type TicketFilters, type TicketSummary } from './api/tickets.api'
import { BUILT_IN_VIEWS, DEFAULT_VIEW } from './views'

export const INBOX_PAGE = 50

/** The inbox list's query key: what InboxPage asks for (filters, the sort it sends, saved view id). */
export function inboxListKey(filters: TicketFilters, sort: string | undefined, savedId: string | undefined) {
  return ['tickets', 'list', filters, sort, savedId] as const
}

export function inboxListFn(filters: TicketFilters, sort: string | undefined, savedId: string | undefined) {
  return ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) =>
    ticketsApi.list(filters, { sort, cursor: pageParam, limit: INBOX_PAGE, view: savedId }, signal)
}

/**
 * On a full load of an inbox address, asks for the list's first page at once, in parallel with the
 * session check and the console's code (instead of after both): the page shows sooner. Views that
 * need the user's teams wait for the session as usual; a signed-out visit just gets a 401 here.
 */
export function prefetchInbox(qc: QueryClient, pathname: string, search: string) {
  const m = /^\/agent(?:\/views\/([^/]+))?\/?$/.exec(pathname)
  if (!m || new URLSearchParams(search).has('requester')) return
  const viewId = m[1] ?? DEFAULT_VIEW
  const savedId = viewId.startsWith('saved-') ? viewId.slice(6) : undefined
  const builtIn = BUILT_IN_VIEWS.find((v) => v.id === viewId)
  if (!savedId && (!builtIn || builtIn.id === 'my-teams')) return
  const filters = builtIn ? builtIn.filters({ teamIds: [] } as unknown as Me) : {}
  const sort = builtIn?.sort
  const regular = inboxListFn(filters, sort, savedId)
  // The request index.html already sent, when it is exactly this one; else (or if it failed) ask again.
  const early = takeEarlyRequest(`/api/v1/tickets${ticketQuery(filters, { sort, limit: INBOX_PAGE, view: savedId })}`)
  const queryFn: typeof regular = early
    ? (ctx) => early.then((r) => (r.ok ? (r.json() as Promise<Page<TicketSummary>>) : regular(ctx)), () => regular(ctx))
    : regular
  void qc.prefetchInfiniteQuery({ queryKey: inboxListKey(filters, sort, savedId), queryFn, initialPageParam: null as string | null })
}

interface EarlyRequest { url: string; response: Promise<Response> }

/** The list request index.html started (once), if its URL is `url`. */
function takeEarlyRequest(url: string): Promise<Response> | null {
  const w = window as unknown as { __atiendeInbox?: EarlyRequest }
  const early = w.__atiendeInbox
  delete w.__atiendeInbox
  return early && early.url === url ? early.response : null
}
