import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import type { TicketSort } from '../../../../../common/src/tickets/tickets.types'
import { viewFilters } from '../views/ticket-views'
import { FILTER_KEYS, type TicketFilters } from './ticket-filters'

/** The query of GET /api/v1/tickets (and its count and CSV export). */
export type TicketListQuery = TicketFilters & { q?: string; view?: string; sort?: TicketSort; cursor?: string; limit?: number }

/** What a list, count or export asks for: a saved view's filters and sort, each filter given in the query replacing the view's. */
export async function requestedFilters(db: Executor, actor: Actor, query: TicketListQuery): Promise<{ filters: TicketFilters; sort: TicketSort | undefined }> {
  const view = query.view ? await viewFilters(db, actor, query.view) : null
  const filters: TicketFilters = { ...(view?.filters ?? {}) }
  for (const k of FILTER_KEYS) if (query[k] !== undefined) (filters as Record<string, unknown>)[k] = query[k]
  return { filters, sort: view?.sort }
}
