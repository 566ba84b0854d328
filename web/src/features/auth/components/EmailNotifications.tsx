import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, errorMessage } from '../../../app/api-client'
import { Alert, ErrorState, Spinner } from '../../../ui/Feedback'

/** The agent emails a user can switch off (GET/PUT /api/v1/me/email-notifications); each is on by default. */
export type EmailNotificationPrefs = Record<string, boolean>

/** The switches in this order; any other the API adds later follows them. */
const ORDER = ['assigned', 'mentioned', 'customerReply', 'slaWarning', 'slaBreached', 'cutoffReminder']
const keysOf = (p: EmailNotificationPrefs) => [...ORDER.filter((k) => k in p), ...Object.keys(p).filter((k) => !ORDER.includes(k))]

/** "Avisos por correo" on My account (staff): one switch per agent email, saved as soon as it changes. */
export function EmailNotifications() {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const prefsQ = useQuery({ queryKey: ['me', 'email-notifications'], queryFn: () => api.get<EmailNotificationPrefs>('/api/v1/me/email-notifications') })
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState<string | null>(null)

  const change = async (key: string, on: boolean) => {
    setBusy(key)
    setMsg(null)
    const before = prefsQ.data
    // Shown at once; put back if the server refuses.
    if (before) qc.setQueryData(['me', 'email-notifications'], { ...before, [key]: on })
    try {
      const next = await api.put<EmailNotificationPrefs>('/api/v1/me/email-notifications', { [key]: on })
      qc.setQueryData(['me', 'email-notifications'], next)
      setMsg({ kind: 'success', text: t('account.notifications.saved') })
    } catch (err) {
      if (before) qc.setQueryData(['me', 'email-notifications'], before)
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(null)
    }
  }

  return (
    <section className="stack card" aria-labelledby="notif-h">
      <h2 id="notif-h">{t('account.notifications.title')}</h2>
      <p className="muted">{t('account.notifications.hint')}</p>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {prefsQ.isPending ? <Spinner /> : prefsQ.isError ? <ErrorState error={prefsQ.error} onRetry={() => void prefsQ.refetch()} /> : (
        <fieldset className="stack" style={{ border: 'none', margin: 0, padding: 0 }}>
          <legend className="sr-only">{t('account.notifications.title')}</legend>
          {keysOf(prefsQ.data).map((k) => (
            <label key={k} className="row" style={{ gap: '.5rem' }}>
              <input type="checkbox" role="switch" checked={prefsQ.data[k]} disabled={busy !== null}
                aria-busy={busy === k || undefined} onChange={(e) => void change(k, e.target.checked)} />
              {t(`account.notifications.${k}`, { defaultValue: k })}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  )
}
