import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { AuthLayout } from './AuthLayout'
import { TextField } from '../../../ui/Field'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { errorMessage } from '../../../app/api-client'
import { useSession } from '../../../app/session'
import { authApi } from '../api/auth.api'
import { changeLocale, normalizeLocale } from '../../../i18n/i18n'

/**
 * The page asked for before signing in (`?next=`), when it is a path on this site: it must start
 * with a single "/" and resolve, as the browser would, to this origin (so "//other.example" and
 * "/\other.example" are other sites, and refused). The login page itself is not a destination.
 */
export function nextPath(search: string): string | null {
  const next = new URLSearchParams(search).get('next')
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  try {
    const url = new URL(next, window.location.origin)
    if (url.origin !== window.location.origin || url.pathname === '/login') return null
    return url.pathname + url.search + url.hash
  } catch {
    return null
  }
}

/**
 * Email + password sign-in. It does not navigate by itself: once the session holds the user, the
 * route's PublicOnly guard (App.tsx) sends them to ?next= or the home of their role. Navigating here
 * would race the session update, and the target's guard would still see nobody signed in.
 */
export function LoginPage() {
  const { t } = useTranslation()
  const { signedIn } = useSession()
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
      // Busy stays on: this page is replaced as soon as the session has the user.
      signedIn({ user: res.user, csrfToken: res.csrfToken })
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
