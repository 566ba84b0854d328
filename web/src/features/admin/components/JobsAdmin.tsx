import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { Button } from '../../../ui/Button'
import { Alert, EmptyState, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi } from '../api/admin.api'

/** Background jobs: the dead-letter list (failed after all retries) with a retry button. */
export function JobsAdmin() {
  const { t } = useTranslation()
  const fmt = useFormat()
  usePageTitle(t('admin.jobs.title'))
  const qc = useQueryClient()
  const [status, setStatus] = useState('dead')
  const [error, setError] = useState<string | null>(null)
  const list = useQuery({ queryKey: ['admin', 'jobs', status], queryFn: () => adminApi.jobs(status) })
  const retry = async (id: number) => {
    setError(null)
    try { await adminApi.retryJob(id); void qc.invalidateQueries({ queryKey: ['admin', 'jobs'] }) } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <div className="stack">
      <h1>{t('admin.jobs.title')}</h1>
      <p className="muted">{t('admin.jobs.intro')}</p>
      <SelectField label={t('fields.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
        {['dead', 'queued', 'running', 'done'].map((s) => <option key={s} value={s}>{t(`admin.jobs.status.${s}`)}</option>)}
      </SelectField>
      {error ? <Alert>{error}</Alert> : null}
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.items.length === 0 ? <EmptyState title={t('admin.jobs.none')} /> : (
        <div className="table-wrap" tabIndex={0}>
          <table className="grid">
            <caption className="sr-only">{t('admin.jobs.title')}</caption>
            <thead><tr><th scope="col">{t('admin.jobs.name')}</th><th scope="col">{t('admin.jobs.attempts')}</th><th scope="col">{t('admin.jobs.runAt')}</th><th scope="col">{t('admin.jobs.lastError')}</th><th scope="col">{t('common.actions')}</th></tr></thead>
            <tbody>
              {list.data.items.map((j) => (
                <tr key={j.id}>
                  <td><code>{j.name}</code></td><td>{j.attempts}/{j.maxAttempts}</td><td className="nowrap">{fmt.dateTime(j.runAt)}</td>
                  <td className="small">{j.lastError}</td>
                  <td>{j.status === 'dead' ? <Button size="sm" onClick={() => void retry(j.id)}>{t('admin.jobs.retry')}</Button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
