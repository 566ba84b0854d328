import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config'
import type { Db, DatabaseHandle } from './db/database'
import type { Mailer } from './mail/mailer'
import type { Realtime } from './realtime/realtime'

/** Everything a route, command or job needs from the running process. Built once in main/tests. */
export interface AppContext {
  config: Config
  db: Db
  database: DatabaseHandle
  /** The clock; tests replace it. */
  now: () => Date
  mailer: Mailer
  realtime: Realtime
  /** Identifies this process among instances (job locks, logs). */
  instanceId: string
  log?: FastifyBaseLogger
}
