import { sql, type RawBuilder } from 'kysely'

type ArrayType = 'uuid' | 'text' | 'bool' | 'int' | 'bigint' | 'timestamptz' | 'jsonb'

/**
 * An array parameter whose length the planner does not look at: `(select $1::uuid[])::uuid[]`.
 * With the array itself PostgreSQL plans each run for its length (one id: one row) and finds the
 * generic plan dearer (it assumes ten), so a prepared statement is planned again on every run; for
 * our larger batch statements that planning cost more than running them. Behind a sub-select both
 * plans see the same unknown array, and the generic one is kept (prepared-statements.ts).
 * Indexes are used as before (`id = any(…)` is still an index condition).
 */
export function arrayParam(values: readonly unknown[], type: ArrayType): RawBuilder<unknown> {
  const cast = sql.raw(`${type}[]`)
  return sql`(select ${values}::${cast})::${cast}`
}
