import { api, toQuery } from '../../../app/api-client'
import type { Priority } from '../../tickets/api/tickets.api'

export interface Mailbox {
  id: string; address: string; name: string; inbound: 'smtp' | 'imap'; imapHost: string | null; imapPort: number | null; imapSecure: boolean; imapUser: string | null
  imapPasswordSet: boolean; imapFolder: string; processedAction: 'move' | 'flag'; processedFolder: string; teamId: string | null; categoryId: string | null
  typeId: string | null; priority: Priority | null; plusAddressing: boolean; active: boolean; lastCheckedAt: string | null; lastError: string | null
}
export type MailboxInput = Partial<Omit<Mailbox, 'id' | 'imapPasswordSet' | 'lastCheckedAt' | 'lastError'>> & { imapPassword?: string | null }

export interface TemplateSummary { event: string; audience: 'customer' | 'agent'; overridden: { es: boolean; en: boolean } }
export interface Template { event: string; lang: 'es' | 'en'; audience: string; subject: string; body: string; defaultSubject: string; defaultBody: string; overridden: boolean; variables: string[] }
export interface Preview { subject: string; text: string; html: string; problems: Array<{ field: string; code: string; detail: string }> }

export interface OutboxRow { id: string; ticketId: string | null; ticketNumber: number | null; template: string; locale: string; to: string; from: string; subject: string; status: 'queued' | 'sent' | 'failed' | 'suppressed'; attempts: number; error: string | null; createdAt: string; sentAt: string | null }
export interface InboundRow { id: string; mailbox: string; source: string; from: string | null; subject: string; kind: string | null; reasons: string[]; status: string; matchedBy: string | null; ticketId: string | null; ticketNumber: number | null; error: string | null; attempts: number; receivedAt: string }
export interface FailingAddress { address: string; status: string | null; diagnostic: string | null; permanent: boolean; bounceCount: number; firstFailedAt: string; lastFailedAt: string }
interface Paged<T> { items: T[]; nextCursor?: string | null }

/** Email administration: mailboxes, notification templates, outbox, inbound log, bounced addresses. */
export const emailApi = {
  mailboxes: () => api.get<Paged<Mailbox>>('/api/v1/mailboxes').then((r) => r.items),
  createMailbox: (b: MailboxInput) => api.post<Mailbox>('/api/v1/mailboxes', b),
  updateMailbox: (id: string, b: MailboxInput) => api.patch<Mailbox>(`/api/v1/mailboxes/${id}`, b),
  templates: () => api.get<Paged<TemplateSummary>>('/api/v1/email-templates').then((r) => r.items),
  template: (event: string, lang: string) => api.get<Template>(`/api/v1/email-templates/${event}/${lang}`),
  saveTemplate: (event: string, lang: string, b: { subject: string | null; body: string | null }) => api.put<Template>(`/api/v1/email-templates/${event}/${lang}`, b),
  preview: (b: { event: string; lang: string; subject?: string | null; body?: string | null }) => api.post<Preview>('/api/v1/email-templates/preview', b),
  delivery: () => api.get<{ mode: 'smtp' | 'file'; folder: string | null }>('/api/v1/email/delivery'),
  outbox: (p: { status?: string; cursor?: string | null }) => api.get<Paged<OutboxRow>>(`/api/v1/email/outbox${toQuery({ status: p.status, cursor: p.cursor, limit: 50 })}`),
  retryOutbox: (id: string) => api.post<{ ok: boolean }>(`/api/v1/email/outbox/${id}/retry`),
  inbound: (p: { status?: string; cursor?: string | null }) => api.get<Paged<InboundRow>>(`/api/v1/email/inbound${toQuery({ status: p.status, cursor: p.cursor, limit: 50 })}`),
  reprocess: (id: string) => api.post<{ status: string; ticketId: string | null }>(`/api/v1/email/inbound/${id}/reprocess`),
  failing: () => api.get<Paged<FailingAddress>>('/api/v1/email/failing-addresses').then((r) => r.items),
  clearFailing: (address: string) => api.delete<unknown>(`/api/v1/email/failing-addresses/${encodeURIComponent(address)}`),
}
