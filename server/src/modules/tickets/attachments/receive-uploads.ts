import type { FastifyRequest } from 'fastify'
import { AppError, ValidationError } from '../../../platform/http/errors'
import { BlobTooLargeError, type BlobStorage } from '../../../platform/storage/blob-storage'
import { cleanFilename, sniffContentType } from '../../../platform/storage/content-type'
import { formatBytes, type AttachmentLimits } from './attachment-limits'

/** One uploaded file, already in blob storage. */
export interface ReceivedFile {
  sha256: string
  size: number
  filename: string
  /** Sniffed from the bytes. */
  contentType: string
  /** What the client claimed (kept for the record only, never used to serve). */
  declaredType: string
}

export interface ReceivedUpload {
  files: ReceivedFile[]
  fields: Record<string, string>
}

const tooLarge = (filename: string, limit: number) =>
  new AppError(413, 'file_too_large', 'attachments.file_too_large', { filename, limit: formatBytes(limit) })
const overQuota = (filename: string, limit: number) =>
  new AppError(413, 'ticket_quota_exceeded', 'attachments.ticket_quota', { filename, limit: formatBytes(limit) })

/**
 * Streams the files of a multipart request into blob storage, one after the other, never holding
 * a whole file in memory. Enforces the per-file limit and what is left of the per-ticket limit
 * (`usedTicketBytes` already stored), refuses empty files and empty uploads, and sniffs each file's
 * type from its bytes. Text fields sent before the files are returned in `fields`. `quotaError`
 * words the refusal when the quota runs out (staged uploads count against the uploader's own).
 * Bytes of a refused request stay in storage unreferenced until the blob collector removes them.
 */
export async function receiveUploads(request: FastifyRequest, storage: BlobStorage, limits: AttachmentLimits, usedTicketBytes: number,
  quotaError: (filename: string, limit: number) => AppError = overQuota): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw new AppError(415, 'not_multipart', 'attachments.not_multipart')
  const files: ReceivedFile[] = []
  const fields: Record<string, string> = {}
  let remaining = limits.maxTicketBytes - usedTicketBytes
  let current = ''
  try {
    const parts = request.parts({ limits: { fileSize: limits.maxFileBytes, files: limits.maxFilesPerRequest, fields: 10 } })
    for await (const part of parts) {
      if (part.type === 'field') {
        if (typeof part.value !== 'string') throw new ValidationError('attachments.bad_field', { field: part.fieldname })
        fields[part.fieldname] = part.value
        continue
      }
      current = cleanFilename(part.filename)
      const cap = Math.max(0, Math.min(limits.maxFileBytes, remaining))
      let blob
      try {
        blob = await storage.put(part.file, { maxBytes: cap })
      } catch (err) {
        if (err instanceof BlobTooLargeError) throw cap < limits.maxFileBytes ? quotaError(current, limits.maxTicketBytes) : tooLarge(current, limits.maxFileBytes)
        throw err
      }
      // The multipart parser stops at the per-file limit and marks the stream truncated.
      if (part.file.truncated) throw tooLarge(current, limits.maxFileBytes)
      if (blob.size === 0) throw new ValidationError('attachments.empty_file', { filename: current }, null, 'empty_file')
      remaining -= blob.size
      files.push({ sha256: blob.sha256, size: blob.size, filename: current, contentType: await sniffContentType(blob.head), declaredType: part.mimetype })
    }
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(current, limits.maxFileBytes)
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError(413, 'too_many_files', 'attachments.too_many_files', { max: limits.maxFilesPerRequest })
    if (isMalformedMultipart(err)) throw new ValidationError('attachments.malformed', {}, null, 'malformed_multipart')
    throw err
  }
  if (files.length === 0) throw new ValidationError('attachments.no_files', {}, null, 'no_files')
  return { files, fields }
}

/**
 * The multipart parser's own refusals (a body cut short, a part header it cannot read, no
 * boundary): plain errors without an errno code, unlike a storage failure, which stays a 500.
 */
function isMalformedMultipart(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof AppError || (err as { code?: unknown }).code !== undefined) return false
  return /multipart|part header|boundary/i.test(err.message)
}
