import path from 'node:path'

/** Everything the server reads from its environment, read once at start. */
export interface Config {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | null
  /** Name (prepare) statements on PostgreSQL connections (DATABASE_PREPARED_STATEMENTS=off for a transaction-mode pooler). */
  preparedStatements: boolean
  publicUrl: string
  smtpUrl: string | null
  smtpPort: number
  adminEmail: string | null
  adminPassword: string | null
  logLevel: string
  /** Run the background worker (jobs, schedules, outbox) in this process. */
  worker: boolean
  /**
   * Batches of jobs the worker runs at once on PostgreSQL (HELPDESK_WORKER_LANES, default 3): a
   * job mostly waits on its statements, so lanes overlap those waits. PGlite is one session: 1.
   */
  workerLanes: number
  /** Session lifetime in hours. */
  sessionHours: number
  cookieSecure: boolean
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000)
  const dataDir = path.resolve(env.HELPDESK_DATA_DIR ?? './data')
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS !== 'off',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    smtpUrl: env.SMTP_URL || null,
    smtpPort: Number(env.SMTP_PORT ?? 2525),
    adminEmail: env.HELPDESK_ADMIN_EMAIL || null,
    adminPassword: env.HELPDESK_ADMIN_PASSWORD || null,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    worker: env.HELPDESK_WORKER !== 'off',
    workerLanes: Math.max(1, Math.min(16, Number.parseInt(env.HELPDESK_WORKER_LANES ?? '3', 10) || 3)),
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    cookieSecure: (env.PUBLIC_URL ?? '').startsWith('https://'),
  }
}
