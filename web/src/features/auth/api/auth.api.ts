import { api } from '../../../app/api-client'

export type Role = 'customer' | 'agent' | 'supervisor' | 'admin'

/** The signed-in user as GET /api/v1/me shows them, with their permissions. */
export interface Me {
  id: string
  email: string | null
  name: string
  role: Role
  locale: string
  timezone: string
  organizationId: string | null
  orgManager: boolean
  teamIds: string[]
  permissions: string[]
}

export interface SessionInfo { user: Me; csrfToken: string | null }

export const authApi = {
  session: () => api.get<SessionInfo>('/api/v1/auth/session', { anonymousOk: true }),
  login: (email: string, password: string) =>
    api.post<{ user: Me; csrfToken: string; expiresAt: string }>('/api/v1/auth/login', { email, password }, { anonymousOk: true }),
  logout: () => api.post<{ ok: true }>('/api/v1/auth/logout'),
  logoutAll: () => api.post<{ ok: true }>('/api/v1/auth/logout-all'),
  updateMe: (body: { name?: string; locale?: 'es-MX' | 'en'; timezone?: string }) => api.patch<Me>('/api/v1/me', body),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<{ ok: true }>('/api/v1/auth/password', { currentPassword, newPassword }),
  requestReset: (email: string) => api.post<{ ok: true }>('/api/v1/auth/password-reset', { email }, { anonymousOk: true }),
  setPassword: (token: string, password: string) =>
    api.post<{ ok: true }>('/api/v1/auth/set-password', { token, password }, { anonymousOk: true }),
  setup: (body: { token: string; email: string; name: string; password: string }) =>
    api.post<{ id: string }>('/api/v1/auth/setup', body, { anonymousOk: true }),
}

export const MIN_PASSWORD_LENGTH = 10

export const isStaff = (user: Pick<Me, 'role'> | null | undefined) => !!user && user.role !== 'customer'
export const isAdmin = (user: Pick<Me, 'role'> | null | undefined) => user?.role === 'admin'
/** Where a user lands after signing in. */
export const homeFor = (user: Pick<Me, 'role'>) => (user.role === 'customer' ? '/portal' : '/agent')
