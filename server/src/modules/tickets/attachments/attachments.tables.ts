import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export interface AttachmentsTable {
  id: Generated<string>
  ticket_id: string
  comment_id: string | null
  sha256: string
  size: number
  filename: string
  /** Sniffed from the bytes. */
  content_type: string
  /** What the client claimed; never used to serve. */
  declared_type: string | null
  /** Hidden from customers. */
  internal: Generated<boolean>
  uploaded_by: string | null
  via_token_id: string | null
  created_at: CreatedAt
}

/** Attachments of tickets and comments (migration 0150). */
export interface AttachmentsTables {
  attachments: AttachmentsTable
}
