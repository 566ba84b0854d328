import pg from 'pg'
import type { TestEnv } from './harness'

/**
 * Counts the statements whose text matches `pattern`, at the driver (pg's Client on PostgreSQL,
 * the PGlite instance on the embedded engine), until stop() — to prove that work was batched.
 */
export function countStatements(env: TestEnv, pattern: RegExp) {
  let n = 0
  const target = (env.ctx.database.pglite ?? pg.Client.prototype) as { query: (...args: unknown[]) => unknown }
  const original = target.query
  target.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text
    if (typeof text === 'string' && pattern.test(text)) n++
    return original.apply(this, args)
  }
  return { stop: () => { target.query = original; return n } }
}
