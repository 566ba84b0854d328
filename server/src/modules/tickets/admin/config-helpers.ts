import { sql } from 'kysely'
import type { FastifyRequest } from 'fastify'
import type { Executor } from '../../../platform/db/database'
import { ConflictError } from '../../../platform/http/errors'
import { isUuid } from '../../../platform/db/uuid'
import { readTicketSettings } from '../settings/ticket-settings'

/** A unique-index violation (code 23505) as a 409 naming the duplicate. */
export function rethrowUnique(err: unknown, code: string, messageKey: string, params: Record<string, unknown>): never {
  if (err && typeof err === 'object' && 'code' in err && (err as { code: unknown }).code === '23505') {
    throw new ConflictError(code, messageKey, params)
  }
  throw err
}

/** A foreign-key violation (23503) when deleting something in use: 409 "deactivate instead". */
export function rethrowInUse(err: unknown): never {
  if (err && typeof err === 'object' && 'code' in err && (err as { code: unknown }).code === '23503') {
    throw new ConflictError('in_use', 'tickets.config.in_use')
  }
  throw err
}

export const isCustomerRequest = (request: FastifyRequest) => request.actor?.role === 'customer'

/**
 * 409 when the type or category is the default new tickets take (ticket settings), or an ancestor
 * of the default category: retiring it would refuse every ticket filed without one, from the portal
 * and by email too.
 */
export async function refuseRetiringDefault(db: Executor, what: { typeId?: string; categoryId?: string }) {
  const settings = await readTicketSettings(db)
  // Retiring a parent retires its subtree, so an ancestor of the default category is refused too.
  if (what.categoryId && settings.defaultCategoryId && isUuid(settings.defaultCategoryId)) {
    const { rows } = await sql`select 1 from categories where id = ${settings.defaultCategoryId}::uuid and ${what.categoryId}::uuid = any(path)`.execute(db)
    if (rows.length) throw new ConflictError('default_in_use', 'tickets.config.default_category')
  }
  if (what.typeId) {
    const { rows } = await sql<{ code: string }>`select code from ticket_types where id = ${what.typeId}`.execute(db)
    if (rows[0]?.code === settings.defaultTypeCode) throw new ConflictError('default_in_use', 'tickets.config.default_type')
  }
}
