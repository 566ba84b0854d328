/** One mailbox address as it appeared in a header; `address` is trimmed and lower-cased. */
export interface MailAddress {
  address: string
  name: string
}

/** A MIME part kept as a file: regular attachments and inline (cid:) images. */
export interface InboundAttachment {
  filename: string
  contentType: string
  size: number
  content: Buffer
  /** Content-ID without angle brackets, for rewriting `cid:` links; null when the part has none. */
  contentId: string | null
  /** True for images shown inside the HTML body (multipart/related or disposition inline with a Content-ID). */
  inline: boolean
}

/** The headers loop detection and threading look at, lower-case names, repeated headers joined by ", ". */
export type HeadersOfInterest = Partial<Record<(typeof HEADERS_OF_INTEREST)[number], string>>

export const HEADERS_OF_INTEREST = [
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'return-path',
  'list-id',
  'list-unsubscribe',
  'list-post',
  'x-failed-recipients',
  'x-mailer',
  'delivered-to',
  'x-loop',
  'x-atiende-ticket',
  'sender',
] as const

/** Things the parser had to work around; a message with warnings is still usable. */
export type ParseWarning =
  | 'missing_from'
  | 'invalid_from'
  | 'missing_message_id'
  | 'invalid_date'
  | 'winmail_dat_ignored'
  | 'html_to_text_failed'
  | 'header_charset_repaired'
  | 'body_charset_repaired'
  | 'parser_failed'

/** A message from the outside world, normalised for ticket creation and threading. */
export interface InboundMessage {
  /** With angle brackets, e.g. `<abc@example.com>`; null when absent. */
  messageId: string | null
  inReplyTo: string | null
  /** All ids of References, oldest first, with angle brackets. */
  references: string[]
  /** Null when the message has no usable From address (reported in `warnings`). */
  from: MailAddress | null
  to: MailAddress[]
  cc: MailAddress[]
  replyTo: MailAddress | null
  subject: string
  date: Date | null
  /** The whole plain-text body (derived from the HTML when the message has none). */
  text: string
  /** `text` without quoted history and signature: what becomes the comment. */
  visibleText: string
  /** Sanitised HTML (allowlist; remote images parked in data-src), or null for text-only mail. */
  html: string | null
  /**
   * `html` without quoted history (and marked signatures); null when the HTML has history that
   * only the text part showed where to cut (then show visibleText).
   */
  visibleHtml: string | null
  attachments: InboundAttachment[]
  headers: HeadersOfInterest
  /** Top-level Content-Type, lower-case, without parameters (e.g. `multipart/report`). */
  contentType: string
  /** The `report-type` parameter of a multipart/report (e.g. `delivery-status`), lower-case. */
  reportType: string | null
  /** Bodies of message/delivery-status parts (DSN fields), for bounce handling. */
  deliveryStatus: string[]
  warnings: ParseWarning[]
  size: number
}
