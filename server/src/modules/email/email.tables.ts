import type { ColumnType, Generated } from 'kysely'
import type { Priority } from '../../../../common/src/tickets/tickets.types'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type Json<T> = ColumnType<T, T | string | undefined, T | string>

export type InboundSource = 'smtp' | 'imap'
export type ProcessedAction = 'move' | 'flag'

/** What became of an inbound message. */
export type InboundStatus =
  | 'processing' | 'ticket_created' | 'comment_added' | 'follow_up_created' | 'note_added'
  | 'ignored' | 'bounce' | 'denied' | 'rate_limited' | 'duplicate' | 'failed'

export type OutboundStatus = 'queued' | 'sent' | 'failed' | 'suppressed'

export interface MailboxesTable {
  id: Generated<string>
  address: string
  name: string
  inbound: InboundSource
  imap_host: string | null
  imap_port: number | null
  imap_secure: Generated<boolean>
  imap_user: string | null
  /** Sealed with mailboxes/credential-box.ts (enc:v1:…); never logged, never returned by the API. */
  imap_password: string | null
  imap_folder: Generated<string>
  processed_action: Generated<ProcessedAction>
  processed_folder: Generated<string>
  team_id: string | null
  category_id: string | null
  type_id: string | null
  priority: Priority | null
  plus_addressing: Generated<boolean>
  active: Generated<boolean>
  imap_uid_validity: number | null
  imap_last_uid: number | null
  last_checked_at: NullableTimestamp
  last_error: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface StoredAddress { address: string; name: string }

export interface InboundMessagesTable {
  id: Generated<string>
  mailbox_id: string
  source: InboundSource
  message_key: string
  message_id: string | null
  imap_uid_validity: number | null
  imap_uid: number | null
  raw_sha256: string
  raw_size: number
  envelope_from: string | null
  envelope_to: Generated<string[]>
  from_address: string | null
  from_name: string | null
  to_addresses: Json<StoredAddress[]>
  cc_addresses: Json<StoredAddress[]>
  subject: Generated<string>
  sent_at: Date | null
  in_reply_to: string | null
  references: Generated<string[]>
  kind: string | null
  reasons: Generated<string[]>
  status: InboundStatus
  matched_by: string | null
  ticket_id: string | null
  comment_id: string | null
  notify: Generated<boolean>
  error: string | null
  attempts: Generated<number>
  received_at: CreatedAt
}

export interface InboundMessageAttachmentsTable {
  inbound_message_id: string
  attachment_id: string
  content_id: string | null
}

export interface OutboundMessagesTable {
  id: Generated<string>
  ticket_id: string | null
  mailbox_id: string | null
  event_id: number | null
  template: string
  locale: Generated<string>
  recipient_id: string | null
  to_address: string
  from_address: string
  reply_to: string | null
  subject: string
  body_text: string
  body_html: string | null
  message_id: string
  in_reply_to: string | null
  references: Generated<string[]>
  headers: Json<Record<string, string>>
  reply_token: string | null
  /** Public files of the reply sent as MIME attachments (migration 0350). */
  attachment_ids: Generated<string[]>
  status: Generated<OutboundStatus>
  attempts: Generated<number>
  error: string | null
  created_at: CreatedAt
  updated_at: Timestamp
  sent_at: NullableTimestamp
}

export interface EmailFailingAddressesTable {
  address: string
  status: string | null
  diagnostic: string | null
  permanent: Generated<boolean>
  bounce_count: Generated<number>
  first_failed_at: CreatedAt
  last_failed_at: Timestamp
  last_inbound_message_id: string | null
}

export interface EmailTemplateOverridesTable {
  event: string
  locale: 'es' | 'en'
  subject: string | null
  body: string | null
  updated_by: string | null
  updated_at: Timestamp
}

export interface EmailSenderCountersTable {
  address: string
  window_start: Date
  count: Generated<number>
}

export interface EmailSecretsTable {
  id: Generated<number>
  secret: string
  created_at: CreatedAt
}

/** The generated credential key (one row), used when ATIENDE_SECRET_KEY is unset. */
export interface EmailCredentialKeysTable {
  id: Generated<number>
  key: string
  created_at: CreatedAt
}

/** The email module's tables, for the Database interface. */
export interface EmailTables {
  mailboxes: MailboxesTable
  inbound_messages: InboundMessagesTable
  inbound_message_attachments: InboundMessageAttachmentsTable
  outbound_messages: OutboundMessagesTable
  email_failing_addresses: EmailFailingAddressesTable
  email_template_overrides: EmailTemplateOverridesTable
  email_sender_counters: EmailSenderCountersTable
  email_secrets: EmailSecretsTable
  email_credential_keys: EmailCredentialKeysTable
}
