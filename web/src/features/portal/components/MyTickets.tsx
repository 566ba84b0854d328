import { useState } from 'react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useSearch } from 'wouter'
import { useFormat } from '../../../app/format'
import { useSession } from '../../../app/session'
import { useDebounced } from '../../../app/useDebounced'
import { Button } from '../../../ui/Button'
import { EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { ACTIVE_STATUSES, ticketsApi, type StatusCode } from '../../tickets/api/tickets.api'
import { StatusBadge } from '../../tickets/components/TicketLabels'
import { ExportButton } from '../../tickets/components/ExportButton'

const GROUPS: Record<string, StatusCode[] | undefined> = { active: ACTIVE_STATUSES, resolved: ['resolved'], closed: ['closed', 'cancelled'], all: undefined }

/**
 * "My tickets": status filter and search (the organization's too for managers, as the server allows:
 * they can narrow it to their own, and cards of others' tickets name the requester), and the list
 * as shown downloaded as CSV (customer-visible columns only, the server decides).
 */
export function MyTickets() {
  const { t } = useTranslation()
  const fmt = useFormat()
  usePageTitle(t('portal.nav.myTickets'))
  const initialQ = new URLSearchParams(useSearch()).get('q') ?? ''
  const [q, setQ] = useState(initialQ)
  const [group, setGroup] = useState(initialQ ? 'all' : 'active')
  const { user } = useSession()
  const manager = !!user?.orgManager && !!user.organizationId
  const [whose, setWhose] = useState<'all' | 'mine'>('all')
  const dq = useDebounced(q.trim(), 250)
  const filters = { q: dq || undefined, statusCategory: GROUPS[group], requesterId: manager && whose === 'mine' && user ? [user.id] : undefined }
  const list = useInfiniteQuery({
    queryKey: ['tickets', 'list', 'portal', dq, group, manager ? whose : 'all'],
    queryFn: ({ pageParam, signal }) => ticketsApi.list(filters, { sort: '-updatedAt', cursor: pageParam, limit: 25 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <div className="stack">
      <div className="row-between"><h1>{t('portal.nav.myTickets')}</h1><Link href="/portal/new" className="btn btn-primary">{t('portal.nav.newTicket')}</Link></div>
      <div className="toolbar">
        <TextField label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        <SelectField label={t('fields.status')} value={group} onChange={(e) => setGroup(e.target.value)}>
          {Object.keys(GROUPS).map((g) => <option key={g} value={g}>{t(`portal.groups.${g}`)}</option>)}
        </SelectField>
        {manager ? (
          <SelectField label={t('portal.tickets.whose')} value={whose} onChange={(e) => setWhose(e.target.value === 'mine' ? 'mine' : 'all')}>
            <option value="all">{t('portal.tickets.whoseAll')}</option>
            <option value="mine">{t('portal.tickets.whoseMine')}</option>
          </SelectField>
        ) : null}
        {items.length > 0 ? <ExportButton filters={filters} sort="-updatedAt" /> : null}
      </div>
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? (
        <EmptyState title={t('portal.tickets.none')} action={<Link href="/portal/new">{t('portal.nav.newTicket')}</Link>} />
      ) : (
        <ul className="ticket-cards">
          {items.map((x) => (
            <li key={x.id}>
              <Link href={`/portal/tickets/${x.number}`}>
                <div className="row"><strong>#{x.number}</strong> <StatusBadge status={x.status} info={x.customStatus} /></div>
                <div>{x.subject}</div>
                {x.requester && x.requester.id !== user?.id ? <div className="small">{t('portal.tickets.requestedBy', { name: x.requester.name })}</div> : null}
                <div className="muted small">{t('ticket.updated', { when: fmt.relative(x.updatedAt) })}</div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage ? <div><Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>{t('inbox.loadMore')}</Button></div> : null}
    </div>
  )
}
