import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../../../app/format'
import { countsKey, ticketsApi, type StatusCode } from '../api/tickets.api'
import { STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import { useStatusChoices } from '../hooks/useStatusChoices'

/** Counts by status over every ticket the agent may see (the seed 003 dashboard strip). */
export function SummaryStrip({ enabled = true }: { enabled?: boolean }) {
  const { t } = useTranslation()
  const { number } = useFormat()
  const { codeLabel } = useStatusChoices()
  const q = useQuery({ queryKey: countsKey({}), queryFn: ({ signal }) => ticketsApi.counts({}, signal), staleTime: 30_000, retry: false, enabled })
  if (!q.data) return null
  const by = q.data.byStatus
  return (
    <section className="summary-strip" aria-label={t('inbox.summary')}>
      <div className="stat"><div className="stat-value">{number(q.data.total)}</div><div className="stat-label">{t('inbox.total')}</div></div>
      {STATUS_CODES.map((s: StatusCode) => (
        <div className="stat" key={s}><div className="stat-value">{number(by[s] ?? 0)}</div><div className="stat-label">{codeLabel(s)}</div></div>
      ))}
    </section>
  )
}
