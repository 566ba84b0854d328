import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { inTransaction } from '../../../platform/db/database'
import { actorForUser } from '../../../platform/auth/load-actor'
import type { Actor } from '../../../platform/auth/actor'
import { createTicket, type CreateTicketInput } from '../commands/create-ticket'
import { addComment, type AddCommentInput } from '../commands/add-comment'
import { changeStatus, type ChangeStatusInput } from '../commands/change-status'

// Test setup for ticket core part B: tickets and comments made through the real commands.

export async function actorOf(ctx: AppContext, userId: string): Promise<Actor> {
  const actor = await actorForUser(ctx.db, userId)
  if (!actor) throw new Error(`no user ${userId}`)
  return { ...actor, via: 'session' }
}

/** A ticket filed by `byUserId` (a customer files for themselves; staff may name a requesterId). */
export async function buildTicket(ctx: AppContext, byUserId: string, input: Partial<CreateTicketInput> = {}): Promise<{ id: string; number: number }> {
  const actor = await actorOf(ctx, byUserId)
  return inTransaction(ctx.db, (trx) => createTicket(trx, { actor, now: ctx.now() }, { subject: 'Falla en recargas', description: 'No se aplica la recarga', ...input }))
}

export async function buildComment(ctx: AppContext, byUserId: string, ticketId: string, input: AddCommentInput) {
  const actor = await actorOf(ctx, byUserId)
  return inTransaction(ctx.db, (trx) => addComment(trx, { actor, now: ctx.now() }, ticketId, input))
}

export async function setStatus(ctx: AppContext, byUserId: string, ticketId: string, input: ChangeStatusInput) {
  const actor = await actorOf(ctx, byUserId)
  return inTransaction(ctx.db, (trx) => changeStatus(trx, { actor, now: ctx.now() }, ticketId, input))
}

export interface UploadPart { field?: string; filename: string; content: Buffer | string; contentType?: string }

/** A multipart/form-data body for inject(): files and text fields, in order. */
export function multipart(parts: Array<UploadPart | { field: string; value: string }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----atiende${crypto.randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"\r\n\r\n${p.value}\r\n`))
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.field ?? 'file'}"; filename="${p.filename}"\r\n`
        + `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`))
      chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content))
      chunks.push(Buffer.from('\r\n'))
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** Sets the attachment limits setting (bytes). */
export async function setAttachmentLimits(ctx: AppContext, limits: { maxFileBytes?: number; maxTicketBytes?: number; maxFilesPerRequest?: number }) {
  await sql`insert into settings (key, value) values ('attachments.limits', ${JSON.stringify(limits)}::jsonb)
    on conflict (key) do update set value = excluded.value`.execute(ctx.db)
}

export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082', 'hex')
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')
