import type { FastifyPluginAsync } from 'fastify'
import './attachments.messages'
import './attachments.permissions'
import './commands/claim-staged-attachments'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { AppError, ValidationError } from '../../../platform/http/errors'
import { errorResponses } from '../../../platform/http/schemas'
import { storageFor } from '../../../platform/storage/storage'
import { formatBytes, loadAttachmentLimits } from './attachment-limits'
import { receiveUploads } from './receive-uploads'
import { stageAttachments, stagedBytes } from './commands/stage-attachments'
import { presentStagedAttachment } from './attachments.presenter'
import { StagedAttachmentList } from './attachments.schemas'

const stagedQuota = (filename: string, limit: number) =>
  new AppError(413, 'staged_quota_exceeded', 'attachments.staged_quota', { filename, limit: formatBytes(limit) })

/**
 * Files for a ticket not filed yet: uploaded here first, then named in `attachmentIds` of
 * POST /api/v1/tickets, which claims them in its transaction. Only the uploader may claim them;
 * unused ones expire after a day (the blob collector removes them). The upload route of an
 * existing ticket (`/tickets/:id/attachments`) stays the way to add files later.
 */
export const stagedUploadsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.post('/api/v1/attachments', {
    config: { access: 'tickets.attach' },
    schema: {
      tags: ['attachments'],
      summary: 'Subir adjuntos para un ticket nuevo (multipart/form-data, campo «file», uno o varios)',
      description: 'Devuelve los ids para enviarlos en `attachmentIds` al crear el ticket (POST /api/v1/tickets). Solo quien los subió puede usarlos, '
        + 'una sola vez; caducan a las 24 horas. El tipo se detecta por el contenido. Los archivos pendientes de una persona no pueden superar el límite por ticket.',
      consumes: ['multipart/form-data'],
      response: { 201: StagedAttachmentList, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const now = ctx.now()
    const limits = await loadAttachmentLimits(ctx.db)
    const used = await stagedBytes(ctx.db, actor.id, now)
    const { files, fields } = await receiveUploads(request, storageFor(ctx), limits, used, stagedQuota)
    const extra = Object.keys(fields)[0]
    if (extra !== undefined) throw new ValidationError('attachments.bad_field', { field: extra })
    const rows = await inTransaction(ctx.db, (trx) => stageAttachments(trx, { actor, now }, files))
    return reply.status(201).send({ items: rows.map(presentStagedAttachment) })
  })
}
