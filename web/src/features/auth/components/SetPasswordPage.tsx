import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { AuthLayout } from './AuthLayout'
import { TextField } from '../../../ui/Field'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { authApi, MIN_PASSWORD_LENGTH } from '../api/auth.api'
import { usePasswordRules } from '../hooks/usePasswordRules'

/** Sets a password from a reset or invitation link (/set-password?token=…). */
export function SetPasswordPage() {
  const { t } = useTranslation()
  const token = new URLSearchParams(window.location.search).get('token') ?? ''
  const check = usePasswordRules()
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [done, setDone] = useState(false)
  const { error, setError, busy, run } = useFormSubmit()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const problem = check(password, confirm)
    if (problem) { setError(problem); return }
    void run(async () => {
      await authApi.setPassword(token, password)
      setDone(true)
    })
  }

  return (
    <AuthLayout title={t('auth.setPassword.title')}>
      {!token ? <Alert>{t('auth.setPassword.noToken')}</Alert> : done ? (
        <Alert kind="success">{t('auth.setPassword.done')}</Alert>
      ) : (
        <form onSubmit={submit} noValidate className="stack">
          {error ? <Alert>{error}</Alert> : null}
          <TextField label={t('auth.newPassword')} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} hint={t('auth.password.hint', { min: MIN_PASSWORD_LENGTH })} autoFocus />
          <TextField label={t('auth.confirmPassword')} type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          <Button type="submit" variant="primary" busy={busy} className="btn-block">{t('auth.setPassword.submit')}</Button>
        </form>
      )}
      <p className="center"><Link href="/login">{t('auth.backToLogin')}</Link></p>
    </AuthLayout>
  )
}
