import { api, toQuery } from '../../../app/api-client'
import type { Role } from '../../auth/api/auth.api'

export interface AdminUser {
  id: string; email: string | null; name: string; phone: string | null; role: Role; active: boolean; locale: string; timezone: string
  organizationId: string | null; siteId: string | null; orgManager: boolean; ticketScope: 'all' | 'teams' | 'assigned'; teamIds: string[]
  hasPassword: boolean; createdAt: string; lastLoginAt: string | null
}
export interface TeamMember { id: string; name: string; email: string | null; role: Role; active: boolean }
export interface AdminTeam { id: string; name: string; level: number | null; leadUserId: string | null; members: TeamMember[]; createdAt: string }
export interface Organization { id: string; name: string; domains: string[]; tier: 'standard' | 'vip'; sharesTickets: boolean; notes: string | null; siteCount: number; contactCount: number; createdAt: string }
export interface Site { id: string; organizationId: string; code: string; name: string; address: string | null }
export interface ImportRun {
  id: string; kind: 'contacts'; status: 'queued' | 'running' | 'done' | 'failed'; total: number; processed: number; created: number; updated: number
  errorCount: number; errors: Array<{ row: number; code: string; message: string }>; createdAt: string; finishedAt: string | null
}
export interface ApiToken { id: string; name: string; prefix: string; scopes: string[]; user: { id: string; name: string; email: string | null }; createdAt: string; lastUsedAt: string | null; revokedAt: string | null; token?: string }
export interface AuditEntry { id: number; at: string; action: string; actor: { id: string; name: string; email: string | null } | null; targetType: string | null; targetId: string | null; ip: string | null; details: Record<string, unknown> }
export interface JobRow { id: number; name: string; status: 'queued' | 'running' | 'dead' | 'done'; attempts: number; maxAttempts: number; runAt: string; lastError: string | null; createdAt: string; finishedAt: string | null }
export interface Paged<T> { items: T[]; nextCursor?: string | null }
export type ImportRow = Record<string, string>

export const adminApi = {
  users: (p: { q?: string; role?: Role[]; active?: boolean; cursor?: string | null; limit?: number }) =>
    api.get<Paged<AdminUser>>(`/api/v1/users${toQuery({ q: p.q, role: p.role, active: p.active, cursor: p.cursor, limit: p.limit ?? 50 })}`),
  /** Every active staff user (agents, supervisors, admins), page after page of 200. */
  allActiveStaff: async () => {
    const all: AdminUser[] = []
    let cursor: string | null | undefined = null
    do {
      const page: Paged<AdminUser> = await adminApi.users({ role: ['agent', 'supervisor', 'admin'], active: true, cursor, limit: 200 })
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    return all
  },
  createUser: (body: { email: string; name: string; role: Role; password?: string; invite?: boolean; teamIds?: string[]; organizationId?: string | null }) => api.post<AdminUser>('/api/v1/users', body),
  updateUser: (id: string, body: Partial<Pick<AdminUser, 'name' | 'role' | 'active' | 'ticketScope' | 'teamIds' | 'organizationId' | 'orgManager'>>) => api.patch<AdminUser>(`/api/v1/users/${id}`, body),
  invite: (id: string) => api.post<{ ok: true }>(`/api/v1/users/${id}/invite`),
  teams: () => api.get<Paged<AdminTeam>>('/api/v1/teams'),
  createTeam: (body: { name: string; level?: number }) => api.post<AdminTeam>('/api/v1/teams', body),
  updateTeam: (id: string, body: { name?: string; level?: number }) => api.patch<AdminTeam>(`/api/v1/teams/${id}`, body),
  deleteTeam: (id: string) => api.delete<unknown>(`/api/v1/teams/${id}`),
  setMembers: (id: string, userIds: string[]) => api.put<AdminTeam>(`/api/v1/teams/${id}/members`, { userIds }),
  organizations: (q?: string) => api.get<Paged<Organization>>(`/api/v1/organizations${toQuery({ q, limit: 100 })}`),
  createOrganization: (body: { name: string; domains?: string[]; tier?: 'standard' | 'vip'; sharesTickets?: boolean }) => api.post<Organization>('/api/v1/organizations', body),
  sites: (orgId: string) => api.get<Paged<Site>>(`/api/v1/organizations/${orgId}/sites?limit=200`),
  createSite: (orgId: string, body: { code: string; name: string; address?: string }) => api.post<Site>(`/api/v1/organizations/${orgId}/sites`, body),
  importContacts: (rows: ImportRow[]) => api.post<ImportRun>('/api/v1/imports/contacts', { rows }),
  importRun: (id: string) => api.get<ImportRun>(`/api/v1/imports/${id}`),
  tokens: () => api.get<Paged<ApiToken>>('/api/v1/api-tokens'),
  createToken: (body: { name: string; scopes: string[] }) => api.post<ApiToken>('/api/v1/api-tokens', body),
  revokeToken: (id: string) => api.delete<unknown>(`/api/v1/api-tokens/${id}`),
  audit: (p: { action?: string; from?: string; to?: string; cursor?: string | null }) => api.get<Paged<AuditEntry>>(`/api/v1/audit-log${toQuery({ ...p, limit: 50 })}`),
  jobs: (status: string) => api.get<Paged<JobRow>>(`/api/v1/admin/jobs${toQuery({ status, limit: 100 })}`),
  retryJob: (id: number) => api.post<JobRow>(`/api/v1/admin/jobs/${id}/retry`),
}
