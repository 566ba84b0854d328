import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useFormat } from '../../../app/format'
import { configApi } from '../api/config.api'
import { countFor, countsKey, ticketsApi, withoutStatus } from '../api/tickets.api'
import { BUILT_IN_VIEWS } from '../views'
import type { Me } from '../../auth/api/auth.api'
import type { TicketFilters } from '../api/tickets.api'

/** The live count of a view (the server's counts leave status filters to the caller: see countFor). */
function ViewCount({ filters, view, statusFilters, enabled }: { filters: TicketFilters; view?: string; statusFilters: TicketFilters; enabled: boolean }) {
  const { number } = useFormat()
  // The server's counts ignore status filters: views that differ only by status share one request.
  const base = withoutStatus(filters)
  const q = useQuery({
    queryKey: countsKey(base, view),
    queryFn: ({ signal }) => ticketsApi.counts(base, signal, view),
    staleTime: 30_000,
    retry: false,
    enabled,
  })
  if (q.data === undefined) return null
  return <span className="count">{number(countFor(q.data, statusFilters))}</span>
}

/** Built-in views and saved views with live counts (refetched on every live event). */
export function ViewsSidebar({ current, me, countsEnabled = true }: { current: string; me: Me; countsEnabled?: boolean }) {
  const { t } = useTranslation()
  const saved = useQuery({ queryKey: ['views'], queryFn: configApi.views, staleTime: 60_000, retry: false, enabled: countsEnabled })
  return (
    <>
      <h2 id="views-h">{t('views.title')}</h2>
      <ul aria-labelledby="views-h">
        {BUILT_IN_VIEWS.map((v) => (
          <li key={v.id}>
            <Link href={`/agent/views/${v.id}`} aria-current={current === v.id ? 'page' : undefined}>
              <span>{t(v.labelKey)}</span>
              <ViewCount filters={v.filters(me)} statusFilters={v.filters(me)} enabled={countsEnabled} />
            </Link>
          </li>
        ))}
      </ul>
      <h2 id="saved-h">{t('views.saved')}</h2>
      {saved.data && saved.data.length > 0 ? (
        <ul aria-labelledby="saved-h">
          {saved.data.map((v) => (
            <li key={v.id}>
              <Link href={`/agent/views/saved-${v.id}`} aria-current={current === `saved-${v.id}` ? 'page' : undefined}>
                <span>{v.name}</span>
                <ViewCount filters={{}} view={v.id} statusFilters={v.filters} enabled={countsEnabled} />
              </Link>
            </li>
          ))}
        </ul>
      ) : <p className="muted small" style={{ margin: '0 .6rem' }}>{t('views.noSaved')}</p>}
    </>
  )
}
