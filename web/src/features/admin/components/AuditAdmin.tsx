import { useState } from 'react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../../../app/format'
import { useDebounced } from '../../../app/useDebounced'
import { Button } from '../../../ui/Button'
import { EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi } from '../api/admin.api'

/** The append-only audit log, filtered by action and date range. */
export function AuditAdmin() {
  const { t } = useTranslation()
  const fmt = useFormat()
  usePageTitle(t('admin.audit.title'))
  const [action, setAction] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const da = useDebounced(action, 300)
  const toIso = (d: string, end: boolean) => (d ? new Date(`${d}T${end ? '23:59:59' : '00:00:00'}`).toISOString() : undefined)
  const list = useInfiniteQuery({
    queryKey: ['admin', 'audit', da, from, to],
    queryFn: ({ pageParam }) => adminApi.audit({ action: da || undefined, from: toIso(from, false), to: toIso(to, true), cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <div className="stack">
      <h1>{t('admin.audit.title')}</h1>
      <div className="toolbar">
        <TextField label={t('admin.audit.action')} value={action} onChange={(e) => setAction(e.target.value)} placeholder="auth.login" />
        <TextField label={t('filters.createdFrom')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t('filters.createdTo')} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? <EmptyState title={t('admin.audit.none')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('admin.audit.title')}</caption>
            <thead><tr><th scope="col">{t('history.when')}</th><th scope="col">{t('history.who')}</th><th scope="col">{t('admin.audit.action')}</th><th scope="col">{t('admin.audit.target')}</th><th scope="col">IP</th><th scope="col">{t('admin.audit.details')}</th></tr></thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap">{fmt.dateTime(a.at)}</td><td>{a.actor?.name ?? t('timeline.system')}</td><td><code>{a.action}</code></td>
                  <td>{a.targetType ? `${a.targetType} ${a.targetId ?? ''}` : ''}</td><td>{a.ip}</td>
                  <td><code className="small">{Object.keys(a.details ?? {}).length ? JSON.stringify(a.details) : ''}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? <div><Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>{t('inbox.loadMore')}</Button></div> : null}
    </div>
  )
}
