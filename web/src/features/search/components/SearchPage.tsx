import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useSearch } from 'wouter'
import { useFormat } from '../../../app/format'
import { EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { usePageTitle } from '../../../ui/usePageTitle'
import { ticketsApi } from '../../tickets/api/tickets.api'
import { contactsApi } from '../../calls/api/contacts.api'
import { StatusBadge } from '../../tickets/components/TicketLabels'
import { Snippet } from './Snippet'

/** Search results: tickets (full text, ranked by the server) and contacts. */
export default function SearchPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const q = new URLSearchParams(useSearch()).get('q') ?? ''
  usePageTitle(t('search.resultsFor', { q }))
  const tickets = useQuery({ queryKey: ['tickets', 'search', q], queryFn: ({ signal }) => ticketsApi.list({ q }, { limit: 50 }, signal), enabled: !!q })
  const contacts = useQuery({ queryKey: ['contacts', q], queryFn: ({ signal }) => contactsApi.search(q, signal), enabled: q.length >= 2, retry: false })
  return (
    <div className="page">
      <h1>{t('search.resultsFor', { q })}</h1>
      <div className="ticket-layout">
        <section aria-labelledby="res-t">
          <h2 id="res-t">{t('search.tickets')}</h2>
          {tickets.isPending ? <Spinner /> : tickets.isError ? <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} /> : tickets.data.items.length === 0 ? (
            <EmptyState title={t('search.noTickets')}>{t('search.noTicketsHint')}</EmptyState>
          ) : (
            <ul className="ticket-cards">
              {tickets.data.items.map((x) => (
                <li key={x.id}>
                  <Link href={`/agent/tickets/${x.number}`}>
                    <div className="row"><strong>#{x.number}</strong> <StatusBadge status={x.status} /> <span className="muted small">{fmt.relative(x.updatedAt)}</span></div>
                    <div>{x.subject}</div>
                    {x.snippet ? <Snippet className="muted small snippet" text={x.snippet} /> : null}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="res-c">
          <h2 id="res-c">{t('search.contacts')}</h2>
          {contacts.data?.length ? (
            <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
              {contacts.data.map((c) => (
                <li key={c.id} className="card">
                  <strong>{c.name}</strong>
                  <div className="muted small">{[c.email, c.phone, c.organization?.name, c.site?.code].filter(Boolean).join(' · ')}</div>
                  <Link href={`/agent/views/all?requester=${c.id}`}>{t('search.contactTickets')}</Link>
                </li>
              ))}
            </ul>
          ) : <p className="muted">{t('search.noContacts')}</p>}
        </section>
      </div>
    </div>
  )
}
