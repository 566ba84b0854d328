import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, onUnauthorized, setCsrfToken } from './api-client'
import { authApi, type Me, type SessionInfo } from '../features/auth/api/auth.api'
import { changeLocale, normalizeLocale } from '../i18n/i18n'

interface SessionValue {
  user: Me | null
  loading: boolean
  /** Store a fresh session (after login) and switch to the user's language. */
  signedIn: (info: SessionInfo) => void
  signOut: () => Promise<void>
  /** This tab signed out (until the next sign-in): guards send to /login, not /login?next=…. */
  signedOut: boolean
  updateUser: (user: Me) => void
}

const SessionContext = createContext<SessionValue | null>(null)
const SESSION_KEY = ['session'] as const

async function loadSession(): Promise<SessionInfo | null> {
  try {
    return await authApi.session()
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null
    throw err
  }
}

/** Restores the cookie session on load (GET /auth/session) and keeps the CSRF token for the API client. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient()
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Infinity, retry: 1 })
  const info = query.data ?? null
  const [signedOut, setSignedOut] = useState(false)

  useEffect(() => {
    setCsrfToken(info?.csrfToken ?? null)
    if (info?.user.locale) void changeLocale(normalizeLocale(info.user.locale))
  }, [info])

  useEffect(() => {
    onUnauthorized(() => {
      setCsrfToken(null)
      qc.setQueryData(SESSION_KEY, null)
    })
    return () => onUnauthorized(null)
  }, [qc])

  const signedIn = useCallback((next: SessionInfo) => {
    setSignedOut(false)
    setCsrfToken(next.csrfToken)
    qc.setQueryData(SESSION_KEY, next)
  }, [qc])

  const signOut = useCallback(async () => {
    // A request still in flight (a session refetch after a password change, say) must not answer
    // after the logout and put the user back: cancel everything first. The session query itself
    // stays (set to null), so removing the others does not make it fetch again. Whatever ends the
    // session first — this, or a 401 of a request made meanwhile — the guard sends to plain /login.
    setSignedOut(true)
    await qc.cancelQueries()
    try { await authApi.logout() } catch { /* already gone */ }
    setCsrfToken(null)
    qc.setQueryData(SESSION_KEY, null)
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] })
  }, [qc])

  const updateUser = useCallback((user: Me) => {
    qc.setQueryData<SessionInfo | null>(SESSION_KEY, (old) => (old ? { ...old, user } : old))
  }, [qc])

  const value = useMemo<SessionValue>(() => ({
    user: info?.user ?? null,
    loading: query.isPending,
    signedIn, signOut, signedOut, updateUser,
  }), [info, query.isPending, signedIn, signOut, signedOut, updateUser])

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext)
  if (!v) throw new Error('useSession outside SessionProvider')
  return v
}
