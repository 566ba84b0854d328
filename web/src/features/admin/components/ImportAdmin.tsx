import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { usePageTitle } from '../../../ui/usePageTitle'
import { adminApi, type ImportRow, type ImportRun } from '../api/admin.api'
import { decodeCsvBytes } from '../../../../../common/src/csv'
import { mapHeader, parseCsv } from './csv'

/** CSV import of organizations, sites and contacts: a preview, a progress bar, and per-row errors. */
export function ImportAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('admin.import.title'))
  const [rows, setRows] = useState<ImportRow[]>([])
  // The spreadsheet row of each row sent (the server numbers the JSON rows 1, 2, 3…).
  const [lines, setLines] = useState<number[]>([])
  const [unknown, setUnknown] = useState<string[]>([])
  const [run, setRun] = useState<ImportRun | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = async (file: File | undefined) => {
    setError(null); setRun(null); setRows([]); setLines([]); setUnknown([])
    if (!file) return
    const [header, ...data] = parseCsv(decodeCsvBytes(await file.arrayBuffer()))
    if (!header || data.length === 0) { setError(t('admin.import.emptyFile')); return }
    const fields = header.fields.map(mapHeader)
    setUnknown(header.fields.filter((h, i) => h.trim() && !fields[i]))
    setRows(data.map((r) => Object.fromEntries(r.fields.flatMap((v, i) => (fields[i] && v.trim() ? [[fields[i] as string, v.trim()]] : [])))))
    setLines(data.map((r) => r.line))
  }

  const start = async () => {
    setError(null)
    try { setRun(await adminApi.importContacts(rows)) } catch (err) { setError(errorMessage(err)) }
  }

  // Poll the durable import job until it finishes.
  useEffect(() => {
    if (!run || run.status === 'done' || run.status === 'failed') return
    const timer = setTimeout(() => { void adminApi.importRun(run.id).then(setRun).catch((err) => setError(errorMessage(err))) }, 700)
    return () => clearTimeout(timer)
  }, [run])

  const pct = run && run.total ? Math.round((run.processed / run.total) * 100) : 0
  return (
    <div className="stack">
      <h1>{t('admin.import.title')}</h1>
      <p>{t('admin.import.intro')}</p>
      <p className="muted small"><code>organization, organizationDomains, tier, sharesTickets, siteCode, siteName, siteAddress, name, email, phone, locale</code></p>
      <div className="field">
        <label htmlFor="csv-file">{t('admin.import.file')}</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" aria-describedby="csv-file-hint" onChange={(e) => void load(e.target.files?.[0])} />
        <div className="field-hint" id="csv-file-hint">{t('admin.import.encodingHint')}</div>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {unknown.length ? <Alert kind="warning">{t('admin.import.unknownColumns', { columns: unknown.join(', ') })}</Alert> : null}
      {rows.length && !run ? (
        <div className="stack">
          <p>{t('admin.import.preview', { count: rows.length })}</p>
          <div><Button variant="primary" onClick={() => void start()}>{t('admin.import.start')}</Button></div>
        </div>
      ) : null}
      {run ? (
        <section className="card stack" aria-labelledby="run-h">
          <h2 id="run-h">{t(`admin.import.status.${run.status}`)}</h2>
          <label htmlFor="import-progress">{t('admin.import.progress', { processed: run.processed, total: run.total })}</label>
          <progress id="import-progress" className="progress" max={run.total || 1} value={run.processed}>{pct}%</progress>
          <p>{t('admin.import.summary', { created: run.created, updated: run.updated, errors: run.errorCount })}</p>
          {run.errors.length ? (
            <div className="table-wrap" tabIndex={0}>
              <table className="grid">
                <caption>{t('admin.import.errors')}</caption>
                <thead><tr><th scope="col">{t('admin.import.row')}</th><th scope="col">{t('admin.import.problem')}</th></tr></thead>
                <tbody>{run.errors.map((e, i) => <tr key={i}><td>{lines[e.row - 1] ?? e.row}</td><td>{e.message}</td></tr>)}</tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  )
}
