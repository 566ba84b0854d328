import { readFile } from 'node:fs/promises'
import { sql } from 'kysely'
import pg from 'pg'
import type { Executor } from '../server/src/platform/db/database'

/**
 * Times every statement pg's clients send while `counting` is on, keyed by the statement's first
 * words (for the profile-* tools). `original` is pg's own query, for statements not to count.
 */
export function statementTimer(keyLength = 90) {
  const stats = new Map<string, { count: number; ms: number }>()
  const timer = { counting: false, stats, original: pg.Client.prototype.query as (...args: unknown[]) => unknown }
  const original = timer.original
  pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text ?? ''
    const key = text.replace(/\s+/g, ' ').trim().slice(0, keyLength)
    const started = performance.now()
    const result = original.apply(this, args)
    if (timer.counting && result && typeof (result as Promise<unknown>).then === 'function') {
      void (result as Promise<unknown>).finally(() => {
        const s = stats.get(key) ?? { count: 0, ms: 0 }
        s.count++
        s.ms += performance.now() - started
        stats.set(key, s)
      }).catch(() => {})
    }
    return result
  } as typeof pg.Client.prototype.query
  return timer
}

/** The timed statements, slowest total first, one line each: count per `per` (e.g. per ticket), mean ms, the statement's first words. */
export function statementLines(stats: ReadonlyMap<string, { count: number; ms: number }>, per: number, countDigits = 2): string[] {
  return [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)
    .map(([key, v]) => `${(v.count / per).toFixed(countDigits).padStart(6)} × ${(v.ms / v.count).toFixed(3).padStart(7)} ms  ${key}`)
}

/**
 * CPU seconds used so far by each PostgreSQL backend serving the current database (read from
 * /proc: only for a server on this machine; empty when it cannot be read). `postgresCpuSince`
 * sums what they used after such a reading (a backend that started since counts whole).
 */
export async function postgresCpu(db: Executor): Promise<Map<number, number>> {
  const pids = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid)
  const used = new Map<number, number>()
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields.length > 13) used.set(pid, (Number(fields[11]) + Number(fields[12])) / 100)
  }
  return used
}

export function postgresCpuSince(before: ReadonlyMap<number, number>, now: ReadonlyMap<number, number>): number {
  let seconds = 0
  for (const [pid, s] of now) seconds += s - (before.get(pid) ?? 0)
  return seconds
}
