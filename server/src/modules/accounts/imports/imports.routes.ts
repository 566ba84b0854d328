import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { AppError } from '../../../platform/http/errors'
import { IdParams, StrictObject, errorResponses } from '../../../platform/http/schemas'
import { decodeCsvBytes } from '../../../../../common/src/csv'
import { JsonImportRow, MAX_IMPORT_ROWS, rowsFromCsv, rowsFromJson, type ImportRow } from './import-rows'
import { ImportStatus, createImport, findImport, listImports } from './imports.store'
import './import-contacts.job'

const IMPORT_BODY_LIMIT = 10 * 1024 * 1024
const IMPORT_TYPES = ['application/json', 'text/csv', 'application/csv']
const JsonBody = StrictObject({ rows: Type.Array(JsonImportRow, { maxItems: MAX_IMPORT_ROWS }) })
const CsvBody = Type.String({ description: 'CSV with a title row. Columns (es/en): organizacion, dominios, tier/vip, comparte_tickets, codigo_sitio, sitio, direccion, nombre, correo, telefono, idioma.' })

/** Bulk import of organizations, sites and contacts, applied by a durable job with visible progress. */
export const importsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  // CSV arrives as text/csv (also application/csv); bytes that are not UTF-8 are read as Windows-1252.
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => {
    done(null, decodeCsvBytes(body as Buffer))
  })

  app.post('/api/v1/imports/contacts', {
    config: { access: 'organizations.manage' },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['imports'],
      summary: 'Importar organizaciones, sitios y contactos (CSV o JSON); avanza en segundo plano',
      body: { content: { 'application/json': { schema: JsonBody }, 'text/csv': { schema: CsvBody }, 'application/csv': { schema: CsvBody } } },
      response: { 202: ImportStatus, ...errorResponses, 413: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request)
    // The body schemas above are per content type: Fastify validates nothing for another one
    // that has a parser (multipart, for the attachments' routes), so it is refused here.
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (!IMPORT_TYPES.includes(type)) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type', { type })
    const rows: ImportRow[] = typeof request.body === 'string'
      ? rowsFromCsv(request.body)
      : rowsFromJson((request.body as { rows: Array<Omit<ImportRow, 'n'>> }).rows)
    const id = await inTransaction(ctx.db, (trx) => createImport(trx, actor, rows, request.ip))
    return reply.status(202).send(await findImport(ctx.db, actor, id, request.lang))
  })

  app.get('/api/v1/imports', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['imports'], summary: 'Importaciones recientes (propias; el administrador ve todas)', response: { 200: Type.Object({ items: Type.Array(ImportStatus) }), ...errorResponses } },
  }, async (request) => ({ items: await listImports(ctx.db, requireActor(request), request.lang) }))

  app.get('/api/v1/imports/:id', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['imports'], summary: 'Avance de una importación', params: IdParams, response: { 200: ImportStatus, ...errorResponses } },
  }, async (request) => findImport(ctx.db, requireActor(request), (request.params as { id: string }).id, request.lang))
}
