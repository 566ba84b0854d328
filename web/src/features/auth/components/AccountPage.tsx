import { useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import { TextField, SelectField } from '../../../ui/Field'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { usePageTitle } from '../../../ui/usePageTitle'
import { errorMessage } from '../../../app/api-client'
import { useSession } from '../../../app/session'
import { authApi, MIN_PASSWORD_LENGTH } from '../api/auth.api'
import { usePasswordRules } from '../hooks/usePasswordRules'
import { LanguageSwitch } from './LanguageSwitch'
import { EmailNotifications } from './EmailNotifications'

const COMMON_ZONES = ['America/Mexico_City', 'America/Monterrey', 'America/Cancun', 'America/Chihuahua', 'America/Hermosillo', 'America/Mazatlan', 'America/Tijuana', 'America/Bogota', 'America/Lima', 'America/New_York', 'Europe/Madrid', 'UTC']

function ProfileForm() {
  const { t } = useTranslation()
  const { user, updateUser } = useSession()
  const [name, setName] = useState(user?.name ?? '')
  const [timezone, setTimezone] = useState(user?.timezone ?? 'America/Mexico_City')
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const zones = useMemo(() => {
    let all: string[] = COMMON_ZONES
    try { all = [...new Set([...COMMON_ZONES, ...Intl.supportedValuesOf('timeZone')])] } catch { /* old browser */ }
    return timezone && !all.includes(timezone) ? [timezone, ...all] : all
  }, [timezone])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setMsg(null)
    try {
      updateUser(await authApi.updateMe({ name: name.trim(), timezone }))
      setMsg({ kind: 'success', text: t('account.saved') })
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} className="stack card" aria-labelledby="profile-h">
      <h2 id="profile-h">{t('account.profile')}</h2>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      <p className="muted">{user?.email}</p>
      <TextField label={t('auth.name')} required value={name} onChange={(e) => setName(e.target.value)} />
      <SelectField label={t('account.timezone')} value={timezone} onChange={(e) => setTimezone(e.target.value)} hint={t('account.timezoneHint')}>
        {zones.map((z) => <option key={z} value={z}>{z}</option>)}
      </SelectField>
      <div><Button type="submit" variant="primary" busy={busy}>{t('common.save')}</Button></div>
    </form>
  )
}

function PasswordForm() {
  const { t } = useTranslation()
  const check = usePasswordRules()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problem = check(next, confirm)
    if (problem) { setMsg({ kind: 'error', text: problem }); return }
    setBusy(true)
    setMsg(null)
    try {
      await authApi.changePassword(current, next)
      setCurrent(''); setNext(''); setConfirm('')
      setMsg({ kind: 'success', text: t('account.passwordChanged') })
    } catch (err) {
      setMsg({ kind: 'error', text: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} className="stack card" aria-labelledby="pw-h" noValidate>
      <h2 id="pw-h">{t('account.changePassword')}</h2>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      <TextField label={t('account.currentPassword')} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      <TextField label={t('auth.newPassword')} type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} hint={t('auth.password.hint', { min: MIN_PASSWORD_LENGTH })} />
      <TextField label={t('auth.confirmPassword')} type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      <div><Button type="submit" variant="primary" busy={busy}>{t('account.changePassword')}</Button></div>
    </form>
  )
}

/** My account: profile (name, time zone), language, email notifications (staff), password, sign out everywhere. */
export function AccountPage() {
  const { t } = useTranslation()
  const { signOut, user } = useSession()
  const [, navigate] = useLocation()
  usePageTitle(t('account.title'))
  const logoutAll = async () => {
    if (!window.confirm(t('account.logoutAllConfirm'))) return
    try { await authApi.logoutAll() } catch { /* signed out anyway */ }
    await signOut()
    navigate('/login', { replace: true })
  }
  return (
    <div className="page page-narrow">
      <h1>{t('account.title')}</h1>
      <ProfileForm />
      <section className="stack card" aria-labelledby="lang-h">
        <h2 id="lang-h">{t('language.label')}</h2>
        <LanguageSwitch />
      </section>
      {user?.permissions.includes('email.notification_prefs') ? <EmailNotifications /> : null}
      <PasswordForm />
      <section className="stack card" aria-labelledby="sess-h">
        <h2 id="sess-h">{t('account.sessions')}</h2>
        <p className="muted">{t('account.logoutAllHint')}</p>
        <div><Button variant="danger" onClick={() => void logoutAll()}>{t('account.logoutAll')}</Button></div>
      </section>
    </div>
  )
}
