import crypto from 'node:crypto'
import type pg from 'pg'

/**
 * Named (prepared) statements for a pg client. Kysely sends every statement unnamed, so
 * PostgreSQL parses and plans it on every execution; for our larger statements (the ticket
 * lookups, the SLA inputs, the inbound claim) that took more of the server's time than running
 * them did. Named, a statement is parsed once per connection and its plan is cached (PostgreSQL
 * keeps custom plans for the first five runs, then a generic one when it costs no more).
 *
 * Only data statements (select, insert, update, delete, with) that take parameters are named:
 * those are single statements already sent with the extended protocol; DDL, transaction control
 * and multi-statement scripts go on as they are. A connection names at most `max` different
 * statements; later ones run unnamed, which bounds the server memory held for them.
 *
 * Two kinds stay unnamed because their best plan depends on the values: full-text searches (`@@`:
 * how many rows the words match; a generic plan doubled search p95 on the tickets bench), and
 * statements whose LIMIT or OFFSET is a parameter — top-N reads (the job queue's claim, sweeps,
 * lists), where walking an index in order beats filtering and sorting only when the planner knows
 * how few rows are wanted: the claim's generic plan took up to 10 s on a 1M-ticket database.
 *
 * PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * prepared (SQLSTATE 0A000: a migration added a column to a table it reads with `*`). That
 * statement then runs unnamed on that connection; outside a transaction it is run again at once,
 * so the caller never sees the error (inside one, the transaction has failed and the error goes up).
 */
export function usePreparedStatements(client: pg.Client, max = 300) {
  // pg's own query, looked up on each call (so a tool that wraps Client.prototype.query still sees every statement).
  const proto = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown }
  const query = (...args: unknown[]) => proto.query.apply(client, args)
  const named = new Set<string>()
  const refused = new Set<string>()
  let inTransaction = false
  client.query = function prepared(this: pg.Client, ...args: unknown[]) {
    const [text, values] = args
    const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 && args.length === 2 ? statementName(text) : null
    if (!name) {
      if (typeof text === 'string') inTransaction = transactionAfter(text, inTransaction)
      return query(...args)
    }
    if (refused.has(name) || (!named.has(name) && named.size >= max)) return query(...args)
    named.add(name)
    const alone = !inTransaction
    return (query({ name, text, values }) as Promise<pg.QueryResult>).catch((err: { code?: string }) => {
      if (err?.code !== '0A000') throw err
      refused.add(name)
      if (alone) return query(text, values)
      throw err
    })
  } as typeof client.query
}

const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i
const VALUE_DEPENDENT = /@@|\b(limit|offset)\s+\$\d/i

/** Whether the connection is in a transaction block after `text` (Kysely's begin / commit / rollback; a script's last statement). */
function transactionAfter(script: string, before: boolean): boolean {
  const text = script.split(';').map((s) => s.trim()).filter(Boolean).at(-1) ?? ''
  const word = /^(\w+)/.exec(text)?.[1]?.toLowerCase()
  if (word === 'begin' || word === 'start') return true
  if (word === 'rollback' && /^rollback\s+(work\s+|transaction\s+)?to\b/i.test(text)) return before
  if (word === 'commit' || word === 'rollback' || word === 'end' || word === 'abort') return /\band\s+chain\b/i.test(text)
  return before
}

const names = new Map<string, string | null>()

/**
 * The name of a statement to prepare, from its text (the same text, the same name, on every
 * connection), or null when it is not to be named; decided once per text.
 */
function statementName(text: string): string | null {
  let name = names.get(text)
  if (name === undefined) {
    name = DATA_STATEMENT.test(text) && !VALUE_DEPENDENT.test(text) ? `a${crypto.createHash('sha1').update(text).digest('base64url').slice(0, 20)}` : null
    if (names.size >= 5000) names.clear()
    names.set(text, name)
  }
  return name
}
