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

/** A file uploaded before its ticket exists; only its uploader may claim it, until it expires. */
export interface StagedAttachmentsTable {
  id: Generated<string>
  sha256: string
  size: number
  filename: string
  content_type: string
  declared_type: string | null
  uploaded_by: string
  via_token_id: string | null
  created_at: CreatedAt
  expires_at: Date
}

/** Attachments of tickets and comments (migration 0150), and files staged for a new ticket (0160). */
export interface AttachmentsTables {
  attachments: AttachmentsTable
  staged_attachments: StagedAttachmentsTable
}
