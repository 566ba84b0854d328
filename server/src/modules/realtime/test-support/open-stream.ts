import assert from 'node:assert/strict'
import type { App } from '../../../app'

/** A `change` event as the stream sends it, with the time it arrived. */
export interface StreamChange { id: number; type: string; ticketId: string | null; data: Record<string, unknown>; at: number }

/** An open SSE stream: what it received, and whether the server ended it. */
export interface OpenStream {
  changes: StreamChange[]
  presence: Array<Record<string, unknown>>
  /** True once the server closed the stream. */
  readonly ended: boolean
  cookie: string | null
  csrf: string | null
  close(): void
}

export const baseUrlOf = (app: App) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

/** Signs in through the real route and returns the cookie and CSRF token. */
export async function signIn(baseUrl: string, email: string, password: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  assert.equal(login.status, 200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  return { cookie, csrf: (await login.json() as { csrfToken: string }).csrfToken }
}

/**
 * Opens GET /api/v1/events/stream over real HTTP, signed in with a password (session cookie) or
 * an API token, and collects its `change` and `presence` events.
 */
export async function openStream(baseUrl: string, auth: { email: string; password: string } | { bearer: string }): Promise<OpenStream> {
  const session = 'bearer' in auth ? null : await signIn(baseUrl, auth.email, auth.password)
  const headers: Record<string, string> = session ? { cookie: session.cookie } : { authorization: `Bearer ${(auth as { bearer: string }).bearer}` }
  const controller = new AbortController()
  const res = await fetch(`${baseUrl}/api/v1/events/stream`, { headers, signal: controller.signal })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/)
  const stream = {
    changes: [] as StreamChange[],
    presence: [] as Array<Record<string, unknown>>,
    ended: false,
    cookie: session?.cookie ?? null,
    csrf: session?.csrf ?? null,
    close: () => controller.abort(),
  }
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        let idx
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, idx)
          buffer = buffer.slice(idx + 2)
          const data = chunk.split('\n').find((l) => l.startsWith('data: '))
          if (!data) continue
          if (chunk.includes('event: change')) stream.changes.push({ ...JSON.parse(data.slice(6)), at: Date.now() })
          if (chunk.includes('event: presence')) stream.presence.push(JSON.parse(data.slice(6)))
        }
      }
      stream.ended = true
    } catch { /* aborted by the test */ }
  })()
  return stream
}

/** Waits until `cond` holds; false after `ms`. */
export async function waitFor(cond: () => boolean, ms = 3000) {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > ms) return false
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}
