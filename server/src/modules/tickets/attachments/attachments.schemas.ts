import { Type } from 'typebox'
import { DateTime, StrictObject, Uuid } from '../../../platform/http/schemas'

/** An attachment as the API shows it; `url` downloads it. */
export const Attachment = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  commentId: Type.Union([Uuid, Type.Null()]),
  filename: Type.String(),
  size: Type.Integer(),
  /** Sniffed from the bytes, not the client's claim. */
  contentType: Type.String(),
  /** Whether the browser shows it in place (images, PDF, text) rather than downloading it. */
  inline: Type.Boolean(),
  internal: Type.Boolean(),
  uploadedBy: Type.Union([Type.Object({ id: Uuid, name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  createdAt: DateTime,
  url: Type.String(),
})

export const AttachmentList = Type.Object({ items: Type.Array(Attachment) })

/** A file uploaded for a ticket not filed yet: send its id in `attachmentIds` when creating the ticket. */
export const StagedAttachment = Type.Object({
  id: Uuid,
  filename: Type.String(),
  size: Type.Integer(),
  /** Sniffed from the bytes, not the client's claim. */
  contentType: Type.String(),
  createdAt: DateTime,
  /** Unused after this time, the file is deleted. */
  expiresAt: DateTime,
})

export const StagedAttachmentList = Type.Object({ items: Type.Array(StagedAttachment) })

export const DownloadQuery = StrictObject({
  /** Force a download (Content-Disposition: attachment) even for types shown inline. */
  download: Type.Optional(Type.Boolean()),
})
