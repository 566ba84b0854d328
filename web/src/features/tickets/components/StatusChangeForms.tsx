import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { Dialog } from '../../../ui/Dialog'
import { TextArea, TextField } from '../../../ui/Field'
import { ApiError, errorMessage } from '../../../app/api-client'
import type { CancelReason } from '../../../../../common/src/tickets/tickets.types'
import { ticketsApi, type StatusChange } from '../api/tickets.api'

// What some status changes need before they are sent (docs/tickets.md, "Transitions"): on_hold names
// the third party (its case number is optional), cancelled gives a reason (duplicate: the original).
// The forms ask for it and check it first, so the server's field-named refusals never show.

/** The third party of an on-hold change, as typed. */
export interface OnHoldValue { thirdParty: string; thirdPartyRef: string }
export const EMPTY_HOLD: OnHoldValue = { thirdParty: '', thirdPartyRef: '' }

/** The on_hold change for what was typed, or null while the third party is missing. */
export function onHoldChange(v: OnHoldValue): StatusChange | null {
  const thirdParty = v.thirdParty.trim()
  return thirdParty ? { status: 'on_hold', thirdParty, thirdPartyRef: v.thirdPartyRef.trim() || null } : null
}

/**
 * Third party (required) and its case number (optional). `inline` lays them out as compact labelled
 * inputs for a toolbar (composer, bulk bar); otherwise as form fields with hints.
 */
export function OnHoldInputs({ idPrefix, value, onChange, error, inline, autoFocus }: {
  idPrefix: string; value: OnHoldValue; onChange: (v: OnHoldValue) => void; error?: string | null; inline?: boolean; autoFocus?: boolean
}) {
  const { t } = useTranslation()
  const party = (thirdParty: string) => onChange({ ...value, thirdParty })
  const ref = (thirdPartyRef: string) => onChange({ ...value, thirdPartyRef })
  if (inline) {
    return (
      <>
        <label className="inline-label small">{t('fields.thirdParty')}<span className="req" aria-hidden="true"> *</span>
          <input id={`${idPrefix}-party`} value={value.thirdParty} required maxLength={200} autoFocus={autoFocus} size={16}
            aria-invalid={error ? true : undefined} aria-describedby={error ? `${idPrefix}-err` : undefined}
            style={error ? { borderColor: 'var(--danger)' } : undefined} onChange={(e) => party(e.target.value)} />
        </label>
        <label className="inline-label small">{t('statusChange.thirdPartyRefOptional')}
          <input id={`${idPrefix}-ref`} value={value.thirdPartyRef} maxLength={200} size={10} onChange={(e) => ref(e.target.value)} />
        </label>
        {error ? <span className="field-error" id={`${idPrefix}-err`} role="alert">{error}</span> : null}
      </>
    )
  }
  return (
    <>
      <TextField id={`${idPrefix}-party`} label={t('fields.thirdParty')} required maxLength={200} autoFocus={autoFocus} value={value.thirdParty}
        error={error} hint={t('statusChange.thirdPartyHint')} onChange={(e) => party(e.target.value)} />
      <TextField id={`${idPrefix}-ref`} label={t('fields.thirdPartyRef')} maxLength={200} value={value.thirdPartyRef}
        hint={t('statusChange.thirdPartyRefHint')} onChange={(e) => ref(e.target.value)} />
    </>
  )
}

/** Side panel: asks for the third party, then moves the ticket on hold with it (one PATCH). */
export function OnHoldForm({ onSubmit, onCancel }: { onSubmit: (c: StatusChange) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation()
  const [value, setValue] = useState<OnHoldValue>(EMPTY_HOLD)
  const [missing, setMissing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const change = onHoldChange(value)
    if (!change) { setMissing(true); document.getElementById('hold-panel-party')?.focus(); return }
    setBusy(true)
    setError(null)
    try { await onSubmit(change) } catch (err) { setError(errorMessage(err)) } finally { setBusy(false) }
  }
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={t('statusChange.onHoldTitle')}>
      <p className="small" style={{ margin: 0 }}>{t('statusChange.onHoldIntro')}</p>
      {error ? <Alert>{error}</Alert> : null}
      <OnHoldInputs idPrefix="hold-panel" value={value} autoFocus error={missing ? t('statusChange.thirdPartyRequired') : null}
        onChange={(v) => { setValue(v); if (v.thirdParty.trim()) setMissing(false) }} />
      <div className="row">
        <Button size="sm" type="submit" variant="primary" busy={busy}>{t('statusChange.onHoldApply')}</Button>
        <Button size="sm" onClick={onCancel}>{t('statusChange.back')}</Button>
      </div>
    </form>
  )
}

/**
 * Cancel one ticket (all three reasons; a duplicate names the original by number, looked up to its
 * id) or several (bulk: `reasons` without duplicate). `ticket` is the one being cancelled, if one.
 */
export function CancelDialog({ open, onClose, title, confirmLabel, reasons, ticket, onSubmit }: {
  open: boolean; onClose: () => void; title: string; confirmLabel: string; reasons: readonly CancelReason[]
  ticket?: { id: string; number: number }; onSubmit: (c: StatusChange) => Promise<void>
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      {/* Rendered only while open, so each opening starts empty. */}
      <CancelForm reasons={reasons} ticket={ticket} confirmLabel={confirmLabel} onSubmit={onSubmit} onClose={onClose} />
    </Dialog>
  )
}

function CancelForm({ reasons, ticket, confirmLabel, onSubmit, onClose }: {
  reasons: readonly CancelReason[]; ticket?: { id: string; number: number }; confirmLabel: string
  onSubmit: (c: StatusChange) => Promise<void>; onClose: () => void
}) {
  const { t } = useTranslation()
  const [reason, setReason] = useState<CancelReason | ''>('')
  const [original, setOriginal] = useState('')
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<{ reason?: string; original?: string }>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  /** The original's id from the number typed, or a message for the field. */
  const findOriginal = async (): Promise<{ id: string } | { problem: string }> => {
    const typed = original.trim().replace(/^#/, '')
    if (!typed) return { problem: t('statusChange.originalRequired') }
    if (!/^\d+$/.test(typed)) return { problem: t('links.badNumber') }
    if (ticket && Number(typed) === ticket.number) return { problem: t('statusChange.originalSelf') }
    try {
      return { id: (await ticketsApi.byNumber(typed)).id }
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return { problem: t('ticket.notFound', { number: typed }) }
      throw err
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!reason) { setErrors({ reason: t('statusChange.reasonRequired') }); document.getElementById('cancel-reason-0')?.focus(); return }
    setBusy(true)
    setError(null)
    setErrors({})
    try {
      let duplicateOfId: string | null = null
      if (reason === 'duplicate') {
        const found = await findOriginal()
        if ('problem' in found) { setErrors({ original: found.problem }); document.getElementById('cancel-original')?.focus(); return }
        duplicateOfId = found.id
      }
      await onSubmit({ status: 'cancelled', cancelReason: reason, cancelNote: note.trim() || null, ...(duplicateOfId ? { duplicateOfId } : {}) })
      onClose()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p style={{ margin: 0 }}>{t('statusChange.cancelIntro')}</p>
      {error ? <Alert>{error}</Alert> : null}
      <fieldset className={`field${errors.reason ? ' field-invalid' : ''}`} style={{ border: 'none', padding: 0, margin: 0 }}
        aria-describedby={errors.reason ? 'cancel-reason-err' : undefined}>
        <legend style={{ fontWeight: 600, fontSize: '.9rem' }}>{t('statusChange.reason')}<span className="req" aria-hidden="true"> *</span></legend>
        {reasons.map((r, i) => (
          <label key={r} className="inline-label" style={{ display: 'flex' }}>
            <input type="radio" name="cancel-reason" id={`cancel-reason-${i}`} value={r} checked={reason === r}
              onChange={() => { setReason(r); setErrors({}) }} />
            {t(`statusChange.reasons.${r}`)}
          </label>
        ))}
        {errors.reason ? <div className="field-error" id="cancel-reason-err" role="alert">{errors.reason}</div> : null}
      </fieldset>
      {reason === 'duplicate' ? (
        <TextField id="cancel-original" label={t('statusChange.original')} required inputMode="numeric" autoComplete="off" value={original}
          error={errors.original} hint={t('statusChange.originalHint')} onChange={(e) => { setOriginal(e.target.value); setErrors({}) }} />
      ) : null}
      <TextArea id="cancel-note" label={t('statusChange.note')} maxLength={2000} value={note} hint={t('statusChange.noteHint')}
        onChange={(e) => setNote(e.target.value)} />
      <div className="row">
        <Button type="submit" variant="danger" busy={busy}>{confirmLabel}</Button>
        <Button onClick={onClose}>{t('statusChange.back')}</Button>
      </div>
    </form>
  )
}
