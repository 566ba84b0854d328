import type { FastifyRequest } from 'fastify'
import type { DestinationStream } from 'pino'

const CENSOR = '[oculto]'

/**
 * Query parameters whose values are credentials (one-time links carry `token`). A parameter is
 * hidden when the last word of its name is one of these: `token`, `access_token`, `apiKey`,
 * `client-secret`, `sig` …
 */
const SECRET_PARAM_WORDS = new Set(['token', 'code', 'key', 'secret', 'password', 'passwd', 'signature', 'sig', 'auth', 'jwt'])

function isSecretParam(rawName: string): boolean {
  let name = rawName
  try { name = decodeURIComponent(rawName.replace(/\+/g, ' ')) } catch { /* keep it as sent */ }
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
  return words.length > 0 && SECRET_PARAM_WORDS.has(words[words.length - 1])
}

/** The URL with the values of secret query parameters replaced by `[oculto]`; the rest as sent. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const query = url.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=')
    const name = eq < 0 ? part : part.slice(0, eq)
    return eq >= 0 && isSecretParam(name) ? `${name}=${CENSOR}` : part
  })
  return `${url.slice(0, q)}?${query.join('&')}`
}

/**
 * Structured JSON logs (pino) with the request id on every line. Credentials never reach them:
 * bodies are not logged, these headers and fields are redacted, and the request line shows the URL
 * with the values of secret query parameters hidden (`/set-password?token=[oculto]`).
 */
export function loggerOptions(level: string, stream?: DestinationStream) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: CENSOR },
    serializers: {
      // Fastify's own request serializer, with the URL redacted.
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        version: req.headers?.['accept-version'],
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    ...(stream ? { stream } : {}),
  }
}
