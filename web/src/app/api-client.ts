import i18n from 'i18next'

/** An API failure: the server's translated message, its stable code and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

interface ErrorEnvelope { error?: { code?: string; message?: string; details?: unknown } }

let csrfToken: string | null = null
let unauthorizedHandler: (() => void) | null = null

/** The CSRF token of the cookie session; sent back on every unsafe request. */
export function setCsrfToken(token: string | null) {
  csrfToken = token
}

/** Called when a signed-in request answers 401 (session expired or revoked elsewhere). */
export function onUnauthorized(handler: (() => void) | null) {
  unauthorizedHandler = handler
}

export interface RequestOptions {
  signal?: AbortSignal
  headers?: Record<string, string>
  /** Do not treat a 401 as "session ended" (login, session probe). */
  anonymousOk?: boolean
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Text pasted from some programs carries NUL characters (U+0000) nobody can see, and the server
 * refuses them (the database cannot store them): what people type or paste is sent without them.
 */
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.includes('\0') ? value.split('\0').join('') : value
}

/**
 * fetch for /api/v1: JSON in and out, Accept-Language of the current UI language, the CSRF header
 * on unsafe methods, and the error envelope turned into a thrown ApiError with the server's message.
 */
export async function apiRequest<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': i18n.language || 'es-MX', ...opts.headers }
  let payload: BodyInit | undefined
  if (body instanceof FormData) payload = body
  else if (body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body, withoutNul)
  }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError(0, 'network', i18n.t('errors.network'))
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try { data = JSON.parse(text) } catch { data = null }
  }
  if (!res.ok) {
    const envelope = (data ?? {}) as ErrorEnvelope
    const message = envelope.error?.message ?? i18n.t('errors.http', { status: res.status })
    if (res.status === 401 && !opts.anonymousOk) unauthorizedHandler?.()
    throw new ApiError(res.status, envelope.error?.code ?? `http_${res.status}`, message, envelope.error?.details ?? null)
  }
  return data as T
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => apiRequest<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => apiRequest<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => apiRequest<T>('PATCH', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => apiRequest<T>('PUT', path, body, opts),
  delete: <T>(path: string, opts?: RequestOptions) => apiRequest<T>('DELETE', path, undefined, opts),
}

/** Builds a query string from defined, non-empty values (arrays repeat the key). */
export function toQuery(params: Record<string, string | number | boolean | null | undefined | Array<string | number>>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) { for (const item of v) q.append(k, String(item)) } else q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** The message to show for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message
  if (err instanceof Error && err.message) return err.message
  return i18n.t('errors.unknown')
}
