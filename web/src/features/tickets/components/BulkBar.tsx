import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useQueryClient } from '@tanstack/react-query'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { Dialog } from '../../../ui/Dialog'
import { errorMessage } from '../../../app/api-client'
import { PRIORITIES, STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import { ticketsApi, type Priority, type StatusCode, type TicketPatch, type TicketSummary } from '../api/tickets.api'
import { useStaffDirectory } from '../hooks/useTicketConfig'
import { useSession } from '../../../app/session'

/** Bulk actions on the selected tickets: assign, status, priority, merge into one of them. */
export function BulkBar({ selected, onDone }: { selected: TicketSummary[]; onDone: () => void }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const { user } = useSession()
  // Agents are needed only once something is selected.
  const { agents } = useStaffDirectory(selected.length > 0)
  const [busy, setBusy] = useState(false)
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [mergeOpen, setMergeOpen] = useState(false)
  const [target, setTarget] = useState('')

  const run = async (patch: TicketPatch) => {
    setBusy(true)
    setMsg(null)
    try {
      const res = await ticketsApi.bulk(selected.map((s) => s.id), patch)
      const failed = res.results.filter((r) => !r.ok).length
      setMsg({ kind: failed ? 'error' : 'success', text: failed ? t('bulk.partial', { ok: selected.length - failed, failed }) : t('bulk.done', { count: selected.length }) })
      // Clear the selection now (not after the refetch): rows picked meanwhile must stay picked.
      if (!failed) onDone()
      void qc.invalidateQueries({ queryKey: ['tickets'] })
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  const merge = async () => {
    const into = selected.find((s) => s.id === target)
    if (!into) return
    setBusy(true)
    setMsg(null)
    try {
      for (const s of selected) if (s.id !== into.id) await ticketsApi.merge(s.id, into.id)
      setMergeOpen(false)
      setMsg({ kind: 'success', text: t('bulk.merged', { count: selected.length - 1, number: into.number }) })
      onDone()
      void qc.invalidateQueries({ queryKey: ['tickets'] })
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="stack" style={{ gap: '.4rem' }}>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {selected.length > 0 ? (
        <div className="bulkbar" role="region" aria-label={t('bulk.title')}>
          <strong>{t('bulk.selected', { count: selected.length })}</strong>
          <label className="inline-label">{t('bulk.assign')}
            <select value="" disabled={busy} onChange={(e) => { const v = e.target.value; if (v) void run({ assigneeId: v === 'none' ? null : v === 'me' ? user!.id : v }) }}>
              <option value="">—</option>
              <option value="me">{t('filters.me')}</option>
              <option value="none">{t('filters.unassigned')}</option>
              {agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </label>
          <label className="inline-label">{t('fields.status')}
            <select value="" disabled={busy} onChange={(e) => { if (e.target.value) void run({ status: { status: e.target.value as StatusCode } }) }}>
              <option value="">—</option>
              {STATUS_CODES.filter((s) => s !== 'cancelled').map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
            </select>
          </label>
          <label className="inline-label">{t('fields.priority')}
            <select value="" disabled={busy} onChange={(e) => { if (e.target.value) void run({ priority: e.target.value as Priority }) }}>
              <option value="">—</option>
              {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
            </select>
          </label>
          <Button size="sm" disabled={busy || selected.length < 2} onClick={() => { setTarget(selected[0].id); setMergeOpen(true) }}>{t('bulk.merge')}</Button>
          <Button size="sm" variant="ghost" onClick={onDone}>{t('bulk.clear')}</Button>
        </div>
      ) : null}
      <Dialog open={mergeOpen} onClose={() => setMergeOpen(false)} title={t('bulk.mergeTitle')}>
        <div className="stack">
          <p>{t('bulk.mergeIntro')}</p>
          <fieldset style={{ border: 'none', padding: 0 }}>
            <legend className="sr-only">{t('bulk.mergeTarget')}</legend>
            {selected.map((s) => (
              <label key={s.id} className="inline-label" style={{ display: 'flex' }}>
                <input type="radio" name="merge-target" value={s.id} checked={target === s.id} onChange={() => setTarget(s.id)} />
                #{s.number} — {s.subject}
              </label>
            ))}
          </fieldset>
          <div className="row">
            <Button variant="primary" busy={busy} onClick={() => void merge()}>{t('bulk.mergeConfirm')}</Button>
            <Button onClick={() => setMergeOpen(false)}>{t('common.cancel')}</Button>
          </div>
        </div>
      </Dialog>
    </div>
  )
}
