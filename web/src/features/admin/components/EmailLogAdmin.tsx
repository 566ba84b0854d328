import { useState } from 'react'
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { emailApi } from '../api/email.api'

const OUT_STATUSES = ['queued', 'sent', 'failed', 'suppressed'] as const

function TicketLink({ n }: { n: number | null }) {
  return n ? <Link href={`/agent/tickets/${n}`}>#{n}</Link> : <>—</>
}

/** The outbox: queued, sent, failed and suppressed notifications; retry the failed ones. */
function Outbox() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const [status, setStatus] = useState('')
  const [error, setError] = useState<string | null>(null)
  const list = useInfiniteQuery({
    queryKey: ['email', 'outbox', status],
    queryFn: ({ pageParam }) => emailApi.outbox({ status: status || undefined, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5000,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const delivery = useQuery({ queryKey: ['email', 'delivery'], queryFn: emailApi.delivery, staleTime: 60_000 })
  // Without SMTP_URL «sent» means written to a file: say so, or an admin believes customers got it.
  const toFiles = delivery.data?.mode === 'file'
  return (
    <section className="stack" aria-labelledby="outbox-h">
      {toFiles ? <Alert kind="warning" title={t('email.log.fileModeTitle')}>{t('email.log.fileMode', { folder: delivery.data?.folder ?? '' })}</Alert> : null}
      <div className="row-between">
        <h2 id="outbox-h">{t('email.log.outbox')}</h2>
        <SelectField label={t('fields.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {OUT_STATUSES.map((s) => <option key={s} value={s}>{t(`email.log.out.${s}`)}</option>)}
        </SelectField>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? <EmptyState title={t('email.log.noOutbox')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('email.log.outbox')}</caption>
            <thead><tr>
              <th scope="col">{t('email.log.when')}</th><th scope="col">{t('email.log.to')}</th><th scope="col">{t('email.templates.subject')}</th>
              <th scope="col">{t('email.log.template')}</th><th scope="col">{t('email.log.ticket')}</th><th scope="col">{t('fields.status')}</th><th scope="col">{t('common.actions')}</th>
            </tr></thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} data-outbox={m.to}>
                  <td className="nowrap">{fmt.dateTime(m.sentAt ?? m.createdAt)}</td>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
                  <td>{t(`email.templates.events.${m.template}`, { defaultValue: m.template })} <span className="muted small">({m.locale})</span></td>
                  <td><TicketLink n={m.ticketNumber} /></td>
                  <td><span className={`badge out-${m.status}`}>{toFiles && m.status === 'sent' ? t('email.log.out.written') : t(`email.log.out.${m.status}`)}</span>{m.error ? <div className="field-error small">{m.error}</div> : null}{m.attempts > 1 ? <div className="muted small">{t('email.log.attempts', { count: m.attempts })}</div> : null}</td>
                  <td>{m.status === 'failed' || m.status === 'suppressed' ? (
                    <Button size="sm" onClick={() => { setError(null); emailApi.retryOutbox(m.id).then(() => qc.invalidateQueries({ queryKey: ['email', 'outbox'] }), (err: unknown) => setError(errorMessage(err))) }}>{t('email.log.retry')}</Button>
                  ) : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? <div><Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>{t('inbox.loadMore')}</Button></div> : null}
    </section>
  )
}

/** What became of each message received: new ticket, reply, ignored (and why), bounce, failed (reprocess). */
function Inbound() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['email', 'inbound'], queryFn: () => emailApi.inbound({}), refetchInterval: 5000 })
  const [error, setError] = useState<string | null>(null)
  return (
    <section className="stack" aria-labelledby="inbound-h">
      <h2 id="inbound-h">{t('email.log.inbound')}</h2>
      {error ? <Alert>{error}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} /> : list.data.items.length === 0 ? <EmptyState title={t('email.log.noInbound')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('email.log.inbound')}</caption>
            <thead><tr><th scope="col">{t('email.log.when')}</th><th scope="col">{t('email.log.from')}</th><th scope="col">{t('email.templates.subject')}</th><th scope="col">{t('email.log.mailbox')}</th><th scope="col">{t('email.log.result')}</th><th scope="col">{t('email.log.ticket')}</th><th scope="col">{t('common.actions')}</th></tr></thead>
            <tbody>
              {list.data.items.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{fmt.dateTime(m.receivedAt)}</td>
                  <td>{m.from ?? '—'}</td>
                  <td>{m.subject}</td>
                  <td>{m.mailbox}</td>
                  <td>{t(`email.log.in.${m.status}`, { defaultValue: m.status })}{m.reasons.length ? <div className="muted small">{m.reasons.join(', ')}</div> : null}{m.error ? <div className="field-error small">{m.error}</div> : null}</td>
                  <td><TicketLink n={m.ticketNumber} /></td>
                  <td>{m.status === 'failed' ? <Button size="sm" onClick={() => { setError(null); emailApi.reprocess(m.id).then(() => qc.invalidateQueries({ queryKey: ['email', 'inbound'] }), (err: unknown) => setError(errorMessage(err))) }}>{t('email.log.reprocess')}</Button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Addresses that bounced (no notifications go to them) and clearing the mark. */
function Failing() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['email', 'failing'], queryFn: emailApi.failing })
  if (!list.data?.length) return null
  return (
    <section className="stack" aria-labelledby="failing-h">
      <h2 id="failing-h">{t('email.log.failing')}</h2>
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {list.data.map((f) => (
          <li key={f.address} className="row">
            <strong>{f.address}</strong> <span className="muted small">{f.diagnostic ?? f.status ?? ''} · {t('email.log.bounces', { count: f.bounceCount })} · {fmt.relative(f.lastFailedAt)}</span>
            <Button size="sm" onClick={() => void emailApi.clearFailing(f.address).then(() => qc.invalidateQueries({ queryKey: ['email', 'failing'] }))}>{t('email.log.clear')}</Button>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Mail log: the outbox, the inbound log and bounced addresses. */
export function EmailLogAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('email.log.title'))
  return (
    <div className="stack">
      <h1>{t('email.log.title')}</h1>
      <Outbox />
      <Inbound />
      <Failing />
    </div>
  )
}
