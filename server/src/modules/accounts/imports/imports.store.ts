import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Executor, Trx } from '../../../platform/db/database'
import type { Actor } from '../../../platform/auth/actor'
import { NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { enqueueJob } from '../../../platform/jobs/queue'
import { recordAudit } from '../../../platform/audit/audit'
import { t } from '../../../platform/i18n/messages'
import type { Lang } from '../../../platform/i18n/locale'
import { Nullable, Timestamp, iso } from '../accounts.schemas'
import type { ImportError } from '../accounts.tables'
import type { ImportRow } from './import-rows'

/** An import's progress, for a progress bar: processed of total, and the rows that failed. */
export const ImportStatus = Type.Object({
  id: Uuid,
  kind: Type.Literal('contacts'),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  total: Type.Integer(),
  processed: Type.Integer(),
  created: Type.Integer({ description: 'Rows that created an organization, site or contact' }),
  updated: Type.Integer({ description: 'Rows that only changed existing ones' }),
  errorCount: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String(), message: Type.String() }), { description: 'The first 1,000 rows that failed' }),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
})

interface ImportRowDb {
  id: string; kind: 'contacts'; status: 'queued' | 'running' | 'done' | 'failed'; total: number; processed: number
  created_count: number; updated_count: number; error_count: number; errors: ImportError[]
  created_by: string | null; created_at: Date; started_at: Date | null; finished_at: Date | null
}

const columns = sql`id, kind, status, total, processed, created_count, updated_count, error_count, errors, created_by, created_at, started_at, finished_at`
const visibleTo = (actor: Actor) => (actor.role === 'admin' ? sql`true` : sql`created_by = ${actor.id}`)

function present(r: ImportRowDb, lang: Lang) {
  return {
    id: r.id, kind: r.kind, status: r.status, total: r.total, processed: r.processed, created: r.created_count, updated: r.updated_count,
    errorCount: r.error_count, errors: r.errors.map((e) => ({ row: e.row, code: e.key, message: t(lang, e.key, e.params) })),
    createdBy: r.created_by, createdAt: iso(r.created_at)!, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at),
  }
}

/** Stores the rows and queues the job that applies them. Audits `import.created`. */
export async function createImport(trx: Trx, actor: Actor, rows: ImportRow[], ip: string | null): Promise<string> {
  const id = (await sql<{ id: string }>`insert into imports (kind, created_by, rows, total)
    values ('contacts', ${actor.id}, ${JSON.stringify(rows)}::jsonb, ${rows.length}) returning id`.execute(trx)).rows[0].id
  await enqueueJob(trx, 'importContacts', { importId: id })
  await recordAudit(trx, { actorId: actor.id, action: 'import.created', targetType: 'import', targetId: id, ip, details: { kind: 'contacts', rows: rows.length } })
  return id
}

/** The creator and admins see an import; to anyone else it does not exist. */
export async function findImport(db: Executor, actor: Actor, id: string, lang: Lang) {
  const row = (await sql<ImportRowDb>`select ${columns} from imports where id = ${id} and ${visibleTo(actor)}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('imports.not_found')
  return present(row, lang)
}

/** The 50 most recent visible imports. */
export async function listImports(db: Executor, actor: Actor, lang: Lang) {
  const rows = (await sql<ImportRowDb>`select ${columns} from imports where ${visibleTo(actor)} order by created_at desc, id limit 50`.execute(db)).rows
  return rows.map((r) => present(r, lang))
}
