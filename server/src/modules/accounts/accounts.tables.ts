import type { ColumnType, Generated } from 'kysely'

type Json<T = unknown> = ColumnType<T, T | string, T | string>

/** One row of an import: a problem found while importing it (translated when read). */
export interface ImportError { row: number; key: string; params: Record<string, unknown> }

/** A durable import of organizations, sites and contacts; the job advances `processed` batch by batch. */
export interface ImportsTable {
  id: Generated<string>
  kind: 'contacts'
  status: Generated<'queued' | 'running' | 'done' | 'failed'>
  created_by: string | null
  rows: Json<unknown[]>
  total: number
  processed: Generated<number>
  created_count: Generated<number>
  updated_count: Generated<number>
  error_count: Generated<number>
  errors: Generated<Json<ImportError[]>>
  created_at: ColumnType<Date, Date | string | undefined, never>
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface AccountsTables {
  imports: ImportsTable
}
