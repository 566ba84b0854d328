import { sql } from 'kysely'
import type { AppContext } from '../../../../platform/context'
import type { Executor } from '../../../../platform/db/database'
import { defineJob } from '../../../../platform/jobs/queue'
import { storageFor } from '../../../../platform/storage/storage'

/**
 * Blobs written this recently are left alone: an upload stores its bytes before its transaction
 * records the row that refers to them (and a put of bytes already stored re-marks them as written).
 */
export const BLOB_GRACE_MS = 3_600_000

const BATCH = 500

/** What one run removed. */
export interface CollectResult { expiredStaged: number; blobsRemoved: number; temporariesRemoved: number }

/**
 * Where blob addresses live: every text column named `sha256` or `…_sha256` in our schema
 * (attachments, staged uploads, raw inbound mail …). A module that stores blobs follows that
 * naming, so its bytes are never collected while a row names them.
 */
export async function blobReferenceColumns(db: Executor): Promise<Array<{ table: string; column: string }>> {
  return (await sql<{ table: string; column: string }>`
    select c.table_name as "table", c.column_name as "column" from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.data_type = 'text' and (c.column_name = 'sha256' or c.column_name like '%\\_sha256')
    order by 1, 2`.execute(db)).rows
}

/** The addresses in `batch` some row still names. */
async function referenced(db: Executor, columns: Array<{ table: string; column: string }>, batch: string[]): Promise<Set<string>> {
  if (columns.length === 0) return new Set(batch) // nothing to compare with: keep everything
  const parts = columns.map((c) => sql`select ${sql.ref(`${c.table}.${c.column}`)} as sha256 from ${sql.table(c.table)} where ${sql.ref(`${c.table}.${c.column}`)} = any(${batch}::text[])`)
  const rows = (await sql<{ sha256: string }>`${sql.join(parts, sql` union `)}`.execute(db)).rows
  return new Set(rows.map((r) => r.sha256))
}

/**
 * Garbage-collects attachment storage: deletes staged uploads past their expiry, then removes
 * every stored blob no row refers to any more (bytes of expired staged uploads, of refused
 * uploads — too large, over quota, empty —, of files whose rows are gone) once it is older than
 * BLOB_GRACE_MS, and leftovers of uploads that never finished. Safe to run at any time, from any
 * instance: a blob is only removed when unreferenced and not written during the grace period.
 */
export async function collectUnusedBlobs(ctx: AppContext): Promise<CollectResult> {
  const now = ctx.now()
  const expired = await sql`delete from staged_attachments where expires_at <= ${now}`.execute(ctx.db)
  const storage = storageFor(ctx)
  const writtenBefore = new Date(now.getTime() - BLOB_GRACE_MS)
  const columns = await blobReferenceColumns(ctx.db)
  let blobsRemoved = 0
  const sweep = async (batch: string[]) => {
    const keep = await referenced(ctx.db, columns, batch)
    for (const sha256 of batch) {
      if (!keep.has(sha256) && await storage.remove(sha256, { unlessWrittenSince: writtenBefore })) blobsRemoved++
    }
  }
  let batch: string[] = []
  for await (const blob of storage.list()) {
    if (blob.modifiedAt.getTime() >= writtenBefore.getTime()) continue
    batch.push(blob.sha256)
    if (batch.length >= BATCH) {
      await sweep(batch)
      batch = []
    }
  }
  if (batch.length) await sweep(batch)
  const temporariesRemoved = await storage.removeStaleTemporaries(writtenBefore)
  const result = { expiredStaged: Number(expired.numAffectedRows ?? 0), blobsRemoved, temporariesRemoved }
  if (result.expiredStaged || blobsRemoved || temporariesRemoved) ctx.log?.info(result, 'unused attachment blobs collected')
  return result
}

defineJob('collectUnusedBlobs', async (ctx) => { await collectUnusedBlobs(ctx) })

/** Daily at 03:47 (Mexico City), after housekeeping; main.ts declares it at start. */
export const collectUnusedBlobsSchedule = { name: 'collectUnusedBlobs', jobName: 'collectUnusedBlobs', cron: '47 3 * * *', timezone: 'America/Mexico_City' }
