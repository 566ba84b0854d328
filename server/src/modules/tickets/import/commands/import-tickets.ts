import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { AppError } from '../../../../platform/http/errors'
import { compileValidator, describeValidation } from '../../../../platform/http/validation'
import { t } from '../../../../platform/i18n/messages'
import type { Lang } from '../../../../platform/i18n/locale'
import type { CommandContext } from '../../history/append-history'
import { ImportTicket } from '../import.schemas'
import { importTicketRow, type ImportTicketInput } from './import-ticket-row'

const validateRow = compileValidator<ImportTicketInput>(ImportTicket, 'body')

export interface RowResult {
  index: number
  externalId: string | null
  status: 'created' | 'skipped' | 'failed'
  ticketId?: string
  number?: number
  numberKept?: boolean
  error?: { code: string; message: string; details: unknown }
}

/** A row's failure in the caller's language; unexpected database errors say what the database said. */
function rowError(err: unknown, lang: Lang): NonNullable<RowResult['error']> {
  if (err instanceof AppError) return { code: err.code, message: t(lang, err.messageKey, err.params), details: err.details }
  const detail = err instanceof Error ? err.message : String(err)
  return { code: 'row_failed', message: t(lang, 'import.unexpected', { detail }), details: null }
}

/**
 * Imports a batch of tickets from another help desk in one transaction, each row inside its own
 * savepoint: a bad row is rolled back alone and reported with its index and a clear message, the
 * others are kept. A row already imported (same source and externalId) is skipped.
 */
export async function importTickets(trx: Trx, ctx: CommandContext, input: { source: string; tickets: unknown[] }, lang: Lang) {
  const results: RowResult[] = []
  for (const [index, raw] of input.tickets.entries()) {
    const externalId = raw && typeof raw === 'object' && typeof (raw as { externalId?: unknown }).externalId === 'string' ? (raw as { externalId: string }).externalId : null
    if (!validateRow(raw)) {
      const { summary, details } = describeValidation(validateRow.errors ?? [], 'body', lang)
      results.push({ index, externalId, status: 'failed', error: { code: 'validation_failed', message: t(lang, 'import.row_invalid', { summary }), details } })
      continue
    }
    await sql`savepoint import_row`.execute(trx)
    try {
      const outcome = await importTicketRow(trx, ctx, input.source, raw)
      await sql`release savepoint import_row`.execute(trx)
      results.push({ index, externalId, ...outcome })
    } catch (err) {
      await sql`rollback to savepoint import_row`.execute(trx)
      results.push({ index, externalId, status: 'failed', error: rowError(err, lang) })
    }
  }
  const count = (s: RowResult['status']) => results.filter((r) => r.status === s).length
  return { created: count('created'), skipped: count('skipped'), failed: count('failed'), results }
}
