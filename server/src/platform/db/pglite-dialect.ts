import { AsyncLocalStorage } from 'node:async_hooks'
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'

/**
 * Kysely dialect for PGlite. PGlite is ONE database session: a query issued while another
 * caller's transaction is open would run inside that transaction. The driver therefore hands
 * out its single connection to one holder at a time (a FIFO mutex); a whole Kysely transaction
 * holds it from BEGIN to COMMIT. Asking for it again from inside the same async context (using
 * `db` instead of `trx` inside a transaction) is a bug that would deadlock, so it throws.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() { return new PostgresAdapter() }
  createDriver(): Driver { return new PGliteDriver(this.pglite) }
  createQueryCompiler() { return new PostgresQueryCompiler() }
  createIntrospector(db: Kysely<unknown>) { return new PostgresIntrospector(db) }
}

/** Context of a transaction started through `inTransaction()`; lets the driver catch `db` used instead of `trx`. */
export const transactionContext = new AsyncLocalStorage<{ holding: boolean }>()

class PGliteDriver implements Driver {
  private queue: Array<() => void> = []
  private busy = false
  private readonly connection: PGliteConnection

  constructor(pglite: PGlite) {
    this.connection = new PGliteConnection(pglite)
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const tx = transactionContext.getStore()
    if (tx?.holding) {
      throw new Error('PGlite connection requested inside a transaction: use the transaction handle (trx), not db')
    }
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve))
    this.busy = true
    if (tx) tx.holding = true
    return this.connection
  }

  async releaseConnection(): Promise<void> {
    const tx = transactionContext.getStore()
    if (tx) tx.holding = false
    const next = this.queue.shift()
    if (next) next()
    else this.busy = false
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    let q = 'begin'
    if (settings.isolationLevel) q = `start transaction isolation level ${settings.isolationLevel}`
    await conn.executeQuery(CompiledQuery.raw(q))
  }
  async commitTransaction(conn: DatabaseConnection) { await conn.executeQuery(CompiledQuery.raw('commit')) }
  async rollbackTransaction(conn: DatabaseConnection) { await conn.executeQuery(CompiledQuery.raw('rollback')) }
  async savepoint(conn: DatabaseConnection, name: string) { await conn.executeQuery(CompiledQuery.raw(`savepoint ${name}`)) }
  async rollbackToSavepoint(conn: DatabaseConnection, name: string) { await conn.executeQuery(CompiledQuery.raw(`rollback to ${name}`)) }
  async releaseSavepoint(conn: DatabaseConnection, name: string) { await conn.executeQuery(CompiledQuery.raw(`release ${name}`)) }
  async destroy() {}
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters use the simple protocol, as pg does: it allows several statements (migrations).
    const res = compiled.parameters.length === 0
      ? (await this.pglite.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 }
      : await this.pglite.query(compiled.sql, compiled.parameters as unknown[])
    return {
      rows: res.rows as R[],
      numAffectedRows: res.affectedRows !== undefined ? BigInt(res.affectedRows) : undefined,
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite')
  }
}
