import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { ticketQuery, type TicketFilters } from '../api/tickets.api'

/**
 * "Export CSV": downloads the list as shown (filters, search, sort, saved view) from
 * GET /api/v1/tickets/export.csv. Fetched rather than linked so a refusal (e.g. too many
 * tickets) shows the server's message here instead of a broken download.
 */
export function ExportButton({ filters, sort, view }: { filters: TicketFilters; sort?: string; view?: string }) {
  const { t, i18n } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const download = async () => {
    setBusy(true)
    setError(null)
    try {
      const res = await fetch(`/api/v1/tickets/export.csv${ticketQuery(filters, { sort, view })}`, {
        credentials: 'same-origin', headers: { 'accept-language': i18n.language || 'es-MX' },
      })
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
        throw new Error(body?.error?.message ?? t('errors.http', { status: res.status }))
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'tickets.csv'
      const url = URL.createObjectURL(await res.blob())
      const a = document.createElement('a')
      a.href = url
      a.download = name
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button onClick={() => void download()} busy={busy} title={t('export.hint')}>{t('export.csv')}</Button>
      {error ? <div role="alert" className="export-error"><Alert>{error}</Alert></div> : null}
    </>
  )
}
