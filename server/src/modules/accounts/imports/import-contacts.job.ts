import { sql } from 'kysely'
import { defineJob, enqueueJob } from '../../../platform/jobs/queue'
import { inTransaction, type Trx } from '../../../platform/db/database'
import type { ImportError } from '../accounts.tables'
import type { ImportRow } from './import-rows'
import { RowError, applyImportRow } from './apply-import-row'

/**
 * Rows per batch (one transaction each), and how long one run may go on before it queues its
 * continuation and yields, so a big import does not hold up other jobs. Tests lower the budget.
 */
export const importJobLimits = { batch: 250, runBudgetMs: 5_000 }
const MAX_STORED_ERRORS = 1000

interface ImportState { status: string; processed: number; total: number; error_count: number }

/**
 * Applies an import's rows in batches. Each batch is one transaction that also advances
 * `processed`, so progress is visible as it goes and a crashed run resumes after the last
 * committed batch. Each row runs under a savepoint: a bad row is recorded and skipped.
 */
export async function runImportBatches(trx: Trx, importId: string, now: Date): Promise<'done' | 'more'> {
  const state = (await sql<ImportState>`select status, processed, total, error_count from imports where id = ${importId} for update`.execute(trx)).rows[0]
  if (!state || state.status === 'done' || state.status === 'failed') return 'done'
  const end = Math.min(state.total, state.processed + importJobLimits.batch)
  const rows = (await sql<{ row: ImportRow }>`select rows -> i as row from imports, generate_series(${state.processed}::int, ${end - 1}::int) i
    where id = ${importId} order by i`.execute(trx)).rows.map((r) => r.row)
  let created = 0
  let updated = 0
  const errors: ImportError[] = []
  for (const row of rows) {
    await sql`savepoint import_row`.execute(trx)
    try {
      const outcome = await applyImportRow(trx, row, now)
      if (outcome === 'created') created++
      if (outcome === 'updated') updated++
      await sql`release savepoint import_row`.execute(trx)
    } catch (err) {
      await sql`rollback to savepoint import_row`.execute(trx)
      if (err instanceof RowError) errors.push({ row: row.n, key: err.key, params: err.params })
      else errors.push({ row: row.n, key: 'imports.row_failed', params: { reason: err instanceof Error ? err.message.slice(0, 200) : String(err) } })
    }
  }
  const room = Math.max(0, MAX_STORED_ERRORS - state.error_count)
  const finished = end >= state.total
  await sql`update imports set processed = ${end}, created_count = created_count + ${created}, updated_count = updated_count + ${updated},
      error_count = error_count + ${errors.length}, errors = errors || ${JSON.stringify(errors.slice(0, room))}::jsonb,
      status = ${finished ? 'done' : 'running'}, started_at = coalesce(started_at, ${now}), finished_at = ${finished ? now : null}
    where id = ${importId}`.execute(trx)
  return finished ? 'done' : 'more'
}

defineJob('importContacts', async (ctx, payload, job) => {
  const importId = String(payload.importId)
  const started = Date.now()
  try {
    for (;;) {
      const next = await inTransaction(ctx.db, async (trx) => {
        if ((await runImportBatches(trx, importId, ctx.now())) === 'done') return 'done'
        if (Date.now() - started < importJobLimits.runBudgetMs) return 'more'
        await enqueueJob(trx, 'importContacts', { importId })
        return 'yielded'
      })
      if (next !== 'more') return
    }
  } catch (err) {
    if (job.attempts >= job.max_attempts) {
      await sql`update imports set status = 'failed', finished_at = ${ctx.now()} where id = ${importId} and status <> 'done'`.execute(ctx.db)
    }
    throw err
  }
})
