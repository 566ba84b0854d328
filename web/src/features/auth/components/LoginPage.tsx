import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { AuthLayout } from './AuthLayout'
import { TextField } from '../../../ui/Field'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { errorMessage } from '../../../app/api-client'
import { useSession } from '../../../app/session'
import { authApi, homeFor } from '../api/auth.api'
import { changeLocale, normalizeLocale } from '../../../i18n/i18n'

/**
 * The page asked for before signing in, when it is on this site: resolved as the browser would
 * (so "/\other.example" or "//other.example" are other sites, and refused).
 */
function sameSitePath(next: string | null): string | null {
  if (!next?.startsWith('/')) return null
  try {
    const url = new URL(next, window.location.origin)
    return url.origin === window.location.origin ? url.pathname + url.search + url.hash : null
  } catch {
    return null
  }
}

/** Email + password sign-in; lands on ?next= or the home of the user's role. */
export function LoginPage() {
  const { t } = useTranslation()
  const { signedIn } = useSession()
  const [, navigate] = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const res = await authApi.login(email.trim(), password)
      await changeLocale(normalizeLocale(res.user.locale))
      signedIn({ user: res.user, csrfToken: res.csrfToken })
      navigate(sameSitePath(new URLSearchParams(window.location.search).get('next')) ?? homeFor(res.user), { replace: true })
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }

  return (
    <AuthLayout title={t('auth.login.title')}>
      <form onSubmit={submit} noValidate className="stack">
        {error ? <Alert>{error}</Alert> : null}
        <TextField label={t('auth.email')} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <TextField label={t('auth.passwordLabel')} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <Button type="submit" variant="primary" busy={busy} className="btn-block">{t('auth.login.submit')}</Button>
        <p className="center"><Link href="/forgot-password">{t('auth.login.forgot')}</Link></p>
      </form>
    </AuthLayout>
  )
}
