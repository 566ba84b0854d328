/**
 * A signed-in API client for test setup (users, tickets) through the real HTTP API: the session
 * cookie and CSRF token of POST /api/v1/auth/login, JSON in and out.
 */
export class ApiSession {
  private constructor(readonly baseUrl: string, private cookie: string, private csrf: string, readonly user: { id: string; name: string; role: string }) {}

  static async login(baseUrl: string, email: string, password: string): Promise<ApiSession> {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    })
    if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`)
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
    const body = await res.json() as { csrfToken: string; user: { id: string; name: string; role: string } }
    return new ApiSession(baseUrl, cookie, body.csrfToken, body.user)
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie, accept: 'application/json' }
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }

  get<T>(path: string) { return this.request<T>('GET', path) }
  post<T>(path: string, body: unknown = {}) { return this.request<T>('POST', path, body) }
  patch<T>(path: string, body: unknown) { return this.request<T>('PATCH', path, body) }

  /** Creates a user with a password (customers get no team; staff may). */
  createUser(u: { email: string; name: string; role: 'customer' | 'agent' | 'supervisor' | 'admin'; password: string; organizationId?: string; teamIds?: string[] }) {
    return this.post<{ id: string; name: string; email: string }>('/api/v1/users', u)
  }
}
