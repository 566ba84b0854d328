import { Readable } from 'node:stream'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { StrictObject, errorResponses } from '../../../platform/http/schemas'
import { requestedFilters, type TicketListQuery } from '../queries/requested-filters'
import { ListQuery } from '../tickets.schemas'
import { exportTickets } from './export-tickets'

// The list's query without paging: an export walks every page itself.
const { cursor: _cursor, limit: _limit, ...exportProps } = ListQuery.properties
const ExportQuery = StrictObject(exportProps)

/** GET /api/v1/tickets/export.csv: the current list (filters, view, sort, q) as a CSV download. */
export const ticketExportRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/tickets/export.csv', {
    config: { access: 'tickets.export' },
    schema: {
      tags: ['tickets'],
      summary: 'Exportar tickets a CSV (los mismos filtros, vista, orden y q que el listado; sin conversación ni notas internas)',
      querystring: ExportQuery, response: { ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const query = request.query as TicketListQuery
    const { filters, sort: viewSort } = await requestedFilters(ctx.db, actor, query)
    const now = ctx.now()
    const chunks = await exportTickets(ctx.db, actor, { filters, sort: query.sort ?? viewSort, q: query.q, now, lang: request.lang })
    const day = now.toISOString().slice(0, 10)
    void reply.headers({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="tickets-${day}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    return reply.send(Readable.from(chunks))
  })
}
