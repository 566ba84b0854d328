import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { AuthLayout } from './AuthLayout'
import { TextField } from '../../../ui/Field'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { authApi } from '../api/auth.api'

/** Asks for a reset link by email; the answer never tells whether the address exists. */
export function ForgotPasswordPage() {
  const { t } = useTranslation()
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const { error, busy, run } = useFormSubmit()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      await authApi.requestReset(email.trim())
      setSent(true)
    })
  }

  return (
    <AuthLayout title={t('auth.forgot.title')}>
      {sent ? (
        <Alert kind="success">{t('auth.forgot.sent', { email })}</Alert>
      ) : (
        <form onSubmit={submit} noValidate className="stack">
          <p>{t('auth.forgot.intro')}</p>
          {error ? <Alert>{error}</Alert> : null}
          <TextField label={t('auth.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          <Button type="submit" variant="primary" busy={busy} className="btn-block">{t('auth.forgot.submit')}</Button>
        </form>
      )}
      <p className="center"><Link href="/login">{t('auth.backToLogin')}</Link></p>
    </AuthLayout>
  )
}
