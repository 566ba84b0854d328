import type { FastifyPluginAsync } from 'fastify'
import '../tickets.messages'
import '../tickets.permissions'
import './attachments.messages'
import './attachments.permissions'
import './commands/claim-attachments'
import './comment-attachments'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../../platform/http/errors'
import { IdParams, errorResponses } from '../../../platform/http/schemas'
import { BlobNotFoundError, storageFor } from '../../../platform/storage/storage'
import { contentDisposition, servingHeaders } from '../../../platform/storage/content-type'
import { authorize, canView } from '../tickets.policy'
import { loadTicket } from '../queries/load-ticket'
import { loadAttachmentLimits } from './attachment-limits'
import { receiveUploads } from './receive-uploads'
import { recordAttachments, ticketAttachmentBytes } from './commands/record-attachments'
import { listTicketAttachments, loadAttachmentForViewer } from './queries/load-attachments'
import { presentAttachment } from './attachments.presenter'
import { AttachmentList, DownloadQuery } from './attachments.schemas'
import { stagedUploadsRoutes } from './staged-uploads.routes'

/** Upload, list and download ticket attachments; stage files for a new ticket (staged-uploads.routes.ts). */
export const attachmentsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  await app.register(stagedUploadsRoutes)

  app.post('/api/v1/tickets/:id/attachments', {
    config: { access: 'tickets.attach' },
    schema: {
      tags: ['attachments'],
      summary: 'Subir adjuntos a un ticket (multipart/form-data, campo «file», uno o varios; campo opcional «internal»)',
      description: 'Devuelve los ids para enviarlos en `attachmentIds` al publicar un comentario. El tipo se detecta por el contenido. '
        + 'Los adjuntos del personal son internos hasta que una respuesta pública los incluya, salvo `internal=false`.',
      consumes: ['multipart/form-data'],
      params: IdParams,
      response: { 201: AttachmentList, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const ticket = await loadTicket(ctx.db, id)
    authorize(actor, 'attach', ticket)
    const limits = await loadAttachmentLimits(ctx.db)
    const used = await ticketAttachmentBytes(ctx.db, id)
    const { files, fields } = await receiveUploads(request, storageFor(ctx), limits, used)
    for (const name of Object.keys(fields)) if (name !== 'internal') throw new ValidationError('attachments.bad_field', { field: name })
    let internal = actor.role !== 'customer'
    if (fields.internal !== undefined) {
      if (fields.internal !== 'true' && fields.internal !== 'false') throw new ValidationError('attachments.bad_field', { field: 'internal' })
      internal = fields.internal === 'true'
      if (internal && actor.role === 'customer') throw new ForbiddenError('attachments.internal_forbidden')
    }
    const rows = await inTransaction(ctx.db, (trx) => recordAttachments(trx, { actor, now: ctx.now() }, { ticketId: id, files, internal, limits }))
    return reply.status(201).send({ items: rows.map((r) => presentAttachment({ ...r, uploader_name: actor.name }, actor)) })
  })

  app.get('/api/v1/tickets/:id/attachments', {
    config: { access: 'tickets.read' },
    schema: { tags: ['attachments'], summary: 'Adjuntos del ticket que puedo ver', params: IdParams, response: { 200: AttachmentList, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const ticket = await loadTicket(ctx.db, id)
    if (!ticket || !canView(actor, ticket)) throw new NotFoundError('tickets.not_found')
    const rows = await listTicketAttachments(ctx.db, actor, id)
    return { items: rows.map((r) => presentAttachment(r, actor)) }
  })

  app.get('/api/v1/attachments/:id', {
    config: { access: 'tickets.read' },
    schema: {
      tags: ['attachments'],
      summary: 'Descargar un adjunto (imágenes, PDF y texto se muestran en el navegador; lo demás se descarga)',
      params: IdParams, querystring: DownloadQuery, response: { ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const { download } = request.query as { download?: boolean }
    const row = await loadAttachmentForViewer(ctx.db, actor, id)
    const etag = `"${row.sha256}"`
    const headers: Record<string, string> = { ...servingHeaders(row.content_type, row.filename) }
    if (download) headers['content-disposition'] = contentDisposition('attachment', row.filename)
    void reply.headers({ ...headers, etag, 'cache-control': 'private, max-age=86400' })
    if (request.headers['if-none-match'] === etag) return reply.status(304).send()
    let stream
    try {
      stream = await storageFor(ctx).get(row.sha256)
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw new AppError(404, 'content_missing', 'attachments.content_missing')
      throw err
    }
    void reply.header('content-length', String(row.size))
    return reply.send(stream)
  })
}
