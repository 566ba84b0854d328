import type { FastifyPluginAsync } from 'fastify'
import '../tickets.messages'
import '../tickets.permissions'
import '../attachments/attachments.permissions'
import './import.messages'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { errorResponses } from '../../../platform/http/schemas'
import { recordAudit } from '../../../platform/audit/audit'
import { importTickets } from './commands/import-tickets'
import { ImportBody, ImportResponse } from './import.schemas'

/** Admin-only import of tickets from another help desk, in batches. */
export const ticketImportRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.post('/api/v1/tickets/import', {
    config: { access: 'tickets.import' },
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags: ['tickets'],
      summary: 'Importar tickets de otra mesa de ayuda (hasta 200 por lote) con sus fechas, comentarios e historial originales',
      description: 'Cada renglón se importa o se rechaza por separado (errores por renglón en `results`). Un renglón con el mismo '
        + '`source` y `externalId` que uno ya importado se omite. El número original se conserva si está libre.',
      body: ImportBody, response: { 200: ImportResponse, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request)
    const body = request.body as { source: string; tickets: unknown[] }
    return inTransaction(ctx.db, async (trx) => {
      const result = await importTickets(trx, { actor, now: ctx.now(), via: 'import' }, body, request.lang)
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.imported', ip: request.ip, details: { source: body.source, created: result.created, skipped: result.skipped, failed: result.failed } })
      return result
    })
  })
}
