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

/** First run: creates the first administrator with the one-time link printed at start (/setup?token=…). */
export function SetupPage() {
  const { t } = useTranslation()
  const token = new URLSearchParams(window.location.search).get('token') ?? ''
  const check = usePasswordRules()
  const [form, setForm] = useState({ name: '', email: '', password: '', confirm: '' })
  const [done, setDone] = useState(false)
  const { error, setError, busy, run } = useFormSubmit()
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const problem = !form.name.trim() || !form.email.trim() ? t('common.fillRequired') : check(form.password, form.confirm)
    if (problem) { setError(problem); return }
    void run(async () => {
      await authApi.setup({ token, name: form.name.trim(), email: form.email.trim(), password: form.password })
      setDone(true)
    })
  }

  return (
    <AuthLayout title={t('auth.setup.title')}>
      {!token ? <Alert>{t('auth.setup.noToken')}</Alert> : done ? (
        <Alert kind="success">{t('auth.setup.done')}</Alert>
      ) : (
        <form onSubmit={submit} noValidate className="stack">
          <p>{t('auth.setup.intro')}</p>
          {error ? <Alert>{error}</Alert> : null}
          <TextField label={t('auth.name')} autoComplete="name" required value={form.name} onChange={set('name')} autoFocus />
          <TextField label={t('auth.email')} type="email" autoComplete="username" required value={form.email} onChange={set('email')} />
          <TextField label={t('auth.newPassword')} type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} hint={t('auth.password.hint', { min: MIN_PASSWORD_LENGTH })} />
          <TextField label={t('auth.confirmPassword')} type="password" autoComplete="new-password" required value={form.confirm} onChange={set('confirm')} />
          <Button type="submit" variant="primary" busy={busy} className="btn-block">{t('auth.setup.submit')}</Button>
        </form>
      )}
      <p className="center"><Link href="/login">{t('auth.backToLogin')}</Link></p>
    </AuthLayout>
  )
}
