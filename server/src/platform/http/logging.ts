import type { DestinationStream } from 'pino'

/**
 * Structured JSON logs (pino) with the request id on every line. Credentials never reach them:
 * bodies are not logged, and these headers are redacted.
 */
export function loggerOptions(level: string, stream?: DestinationStream) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[oculto]' },
    ...(stream ? { stream } : {}),
  }
}
