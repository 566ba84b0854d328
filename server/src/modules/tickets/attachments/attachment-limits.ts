import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'

/** How much may be uploaded. */
export interface AttachmentLimits {
  maxFileBytes: number
  maxTicketBytes: number
  maxFilesPerRequest: number
}

const MB = 1024 * 1024
export const DEFAULT_LIMITS: AttachmentLimits = { maxFileBytes: 25 * MB, maxTicketBytes: 100 * MB, maxFilesPerRequest: 10 }

function positive(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined
}

/**
 * The limits in force: the `attachments.limits` setting ({maxFileBytes, maxTicketBytes,
 * maxFilesPerRequest}), else ATTACHMENTS_MAX_FILE_MB / ATTACHMENTS_MAX_TICKET_MB, else 25 MB per
 * file and 100 MB per ticket.
 */
export async function loadAttachmentLimits(db: Executor, env: NodeJS.ProcessEnv = process.env): Promise<AttachmentLimits> {
  const row = (await sql<{ value: Record<string, unknown> | null }>`select value from settings where key = 'attachments.limits'`.execute(db)).rows[0]
  const set = row?.value && typeof row.value === 'object' ? row.value : {}
  const envFile = positive(env.ATTACHMENTS_MAX_FILE_MB)
  const envTicket = positive(env.ATTACHMENTS_MAX_TICKET_MB)
  return {
    maxFileBytes: positive(set.maxFileBytes) ?? (envFile ? envFile * MB : DEFAULT_LIMITS.maxFileBytes),
    maxTicketBytes: positive(set.maxTicketBytes) ?? (envTicket ? envTicket * MB : DEFAULT_LIMITS.maxTicketBytes),
    maxFilesPerRequest: positive(set.maxFilesPerRequest) ?? DEFAULT_LIMITS.maxFilesPerRequest,
  }
}

/** "25 MB", "512 KB", "900 bytes": a limit as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`
  return `${bytes} bytes`
}
