import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { Alert } from '../../../ui/Feedback'
import { TextArea } from '../../../ui/Field'

/**
 * "Cancel my request": a confirmation with an optional note. The reason is always the requester's
 * request (`cancelReason: 'requester_request'`); `onCancel` sends the PATCH.
 */
export function CancelRequestDialog({ open, number, onClose, onCancel }: {
  open: boolean; number: number; onClose: () => void; onCancel: (note: string | null) => Promise<void>
}) {
  const { t } = useTranslation()
  return (
    <Dialog open={open} onClose={onClose} title={t('portal.ticket.cancelTitle', { number })}>
      {/* Rendered only while open, so each opening starts empty. */}
      <CancelRequestForm onClose={onClose} onCancel={onCancel} />
    </Dialog>
  )
}

function CancelRequestForm({ onClose, onCancel }: { onClose: () => void; onCancel: (note: string | null) => Promise<void> }) {
  const { t } = useTranslation()
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await onCancel(note.trim() || null)
      onClose()
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }
  return (
    // `autofocus` (the attribute, set before the dialog opens) is what showModal() focuses: the note.
    <form className="stack" onSubmit={submit} noValidate ref={(f) => { f?.querySelector('textarea')?.setAttribute('autofocus', '') }}>
      <p style={{ margin: 0 }}>{t('portal.ticket.cancelIntro')}</p>
      {error ? <Alert>{error}</Alert> : null}
      <TextArea id="cancel-request-note" label={t('portal.ticket.cancelNote')} maxLength={2000} rows={3} value={note}
        hint={t('portal.ticket.cancelNoteHint')} onChange={(e) => setNote(e.target.value)} />
      <div className="row">
        <Button type="submit" variant="danger" busy={busy}>{t('portal.ticket.cancelConfirm')}</Button>
        <Button onClick={onClose}>{t('portal.ticket.cancelBack')}</Button>
      </div>
    </form>
  )
}
