import { useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useQueryClient } from '@tanstack/react-query'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { Dialog } from '../../../ui/Dialog'
import { errorMessage } from '../../../app/api-client'
import { PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { useStatusChoices } from '../hooks/useStatusChoices'
import { ticketsApi, type BulkResult, type Priority, type TicketPatch, type TicketSummary } from '../api/tickets.api'
import { useStaffDirectory } from '../hooks/useTicketConfig'
import { useSession } from '../../../app/session'
import { CancelDialog, EMPTY_HOLD, OnHoldInputs, onHoldChange, type OnHoldValue } from './StatusChangeForms'

/** How many refusal messages the bar lists (grouped by message); the rest are counted. */
const SHOWN_ERRORS = 3

/** The refusals of a bulk run, one line per distinct message with the ticket numbers it applies to. */
function BulkFailures({ results, selected }: { results: BulkResult[]; selected: TicketSummary[] }) {
  const { t } = useTranslation()
  const numberOf = new Map(selected.map((s) => [s.id, s.number]))
  const byMessage = new Map<string, number[]>()
  for (const r of results) {
    if (r.ok) continue
    const message = r.error?.message ?? t('errors.unknown')
    byMessage.set(message, [...(byMessage.get(message) ?? []), numberOf.get(r.id) ?? 0])
  }
  const groups = [...byMessage]
  const hidden = groups.slice(SHOWN_ERRORS).reduce((n, [, numbers]) => n + numbers.length, 0)
  return (
    <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
      {groups.slice(0, SHOWN_ERRORS).map(([message, numbers]) => (
        <li key={message}>{numbers.filter(Boolean).map((n) => `#${n}`).join(', ')}{numbers.some(Boolean) ? ': ' : ''}{message}</li>
      ))}
      {hidden ? <li>{t('bulk.moreErrors', { count: hidden })}</li> : null}
    </ul>
  )
}

/**
 * Bulk actions on the selected tickets: assign, status (on hold asks for the third party first),
 * priority, cancel with a reason, merge into one of them. Refusals are listed with their reasons.
 */
export function BulkBar({ selected, onDone }: { selected: TicketSummary[]; onDone: () => void }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const { user } = useSession()
  // Agents are needed only once something is selected.
  const { agents } = useStaffDirectory(selected.length > 0)
  const [busy, setBusy] = useState(false)
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string; details?: ReactNode } | null>(null)
  const [mergeOpen, setMergeOpen] = useState(false)
  const [target, setTarget] = useState('')
  // The key of the on-hold status chosen, while the bar asks for its third party.
  const [holding, setHolding] = useState<string | null>(null)
  const { choices, codeOf } = useStatusChoices()
  const [hold, setHold] = useState<OnHoldValue>(EMPTY_HOLD)
  const [holdMissing, setHoldMissing] = useState(false)
  const [cancelOpen, setCancelOpen] = useState(false)

  /** Sends the change; false when the request itself failed (`throwErrors`: rethrown to the caller instead). */
  const run = async (patch: TicketPatch, throwErrors = false): Promise<boolean> => {
    setBusy(true)
    setMsg(null)
    try {
      const res = await ticketsApi.bulk(selected.map((s) => s.id), patch)
      const failed = res.results.filter((r) => !r.ok).length
      setMsg(failed
        ? { kind: 'error', text: t('bulk.partial', { ok: res.results.length - failed, failed }), details: <BulkFailures results={res.results} selected={selected} /> }
        : { kind: 'success', text: t('bulk.done', { count: selected.length }) })
      // Clear the selection now (not after the refetch): rows picked meanwhile must stay picked.
      if (!failed) onDone()
      void qc.invalidateQueries({ queryKey: ['tickets'] })
      return true
    } catch (err) {
      if (throwErrors) throw err
      setMsg({ kind: 'error', text: errorMessage(err) })
      return false
    } finally {
      setBusy(false)
    }
  }

  const chooseStatus = (key: string) => {
    // Every status that maps to on hold (built-in or custom) asks for the third party first.
    if (codeOf(key) === 'on_hold') { setHolding(key); setMsg(null); return }
    setHolding(null)
    void run({ status: { status: key } })
  }
  const closeHold = () => { setHolding(null); setHold(EMPTY_HOLD); setHoldMissing(false) }
  const applyHold = async (e: FormEvent) => {
    e.preventDefault()
    const change = onHoldChange(hold)
    if (!change || !holding) { setHoldMissing(true); document.getElementById('bulk-hold-party')?.focus(); return }
    if (await run({ status: { ...change, status: holding } })) closeHold()
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
      {msg ? <Alert kind={msg.kind} title={msg.details ? msg.text : undefined}>{msg.details ?? msg.text}</Alert> : null}
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
            <select value={holding ?? ''} disabled={busy} onChange={(e) => { if (e.target.value) chooseStatus(e.target.value) }}>
              <option value="">—</option>
              {choices.filter((c) => c.code !== 'cancelled').map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
            </select>
          </label>
          <label className="inline-label">{t('fields.priority')}
            <select value="" disabled={busy} onChange={(e) => { if (e.target.value) void run({ priority: e.target.value as Priority }) }}>
              <option value="">—</option>
              {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
            </select>
          </label>
          <Button size="sm" variant="danger" disabled={busy} onClick={() => setCancelOpen(true)}>{t('statusChange.cancelBulkAction')}</Button>
          <Button size="sm" disabled={busy || selected.length < 2} onClick={() => { setTarget(selected[0].id); setMergeOpen(true) }}>{t('bulk.merge')}</Button>
          <Button size="sm" variant="ghost" onClick={() => { closeHold(); onDone() }}>{t('bulk.clear')}</Button>
          {holding ? (
            <form className="row" style={{ flexBasis: '100%' }} onSubmit={(e) => void applyHold(e)} noValidate aria-label={t('statusChange.onHoldTitle')}>
              <OnHoldInputs idPrefix="bulk-hold" inline autoFocus value={hold} error={holdMissing ? t('statusChange.thirdPartyRequired') : null}
                onChange={(v) => { setHold(v); if (v.thirdParty.trim()) setHoldMissing(false) }} />
              <Button size="sm" type="submit" variant="primary" busy={busy}>{t('statusChange.onHoldApplyBulk', { count: selected.length })}</Button>
              <Button size="sm" onClick={closeHold}>{t('statusChange.back')}</Button>
            </form>
          ) : null}
        </div>
      ) : null}
      <CancelDialog open={cancelOpen} onClose={() => setCancelOpen(false)} title={t('statusChange.cancelBulkTitle', { count: selected.length })}
        confirmLabel={t('statusChange.confirmBulk', { count: selected.length })} reasons={['error', 'requester_request']}
        onSubmit={async (c) => { await run({ status: c }, true) }} />
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
