import { useTranslation } from 'react-i18next'
import { useFormat } from '../../../app/format'
import type { Attachment, Comment, HistoryEntry, TicketDetail, TicketEmail } from '../api/tickets.api'
import { AttachmentList } from './Attachments'
import { EmailMeta } from './EmailMeta'
import { Icon } from '../../../ui/Icon'

/** An image already shown inside the message is not listed again under it. */
const shownInline = (a: Attachment, html?: string) => !!html && a.contentType.startsWith('image/') && html.includes(`/api/v1/attachments/${a.id}`)

/**
 * A message as the server stored it: its HTML went through the server's allowlist sanitiser
 * (no scripts, handlers, forms or remote images), so it is shown as HTML; text when there is none.
 */
function MessageBody({ html, text }: { html?: string; text: string }) {
  if (!html?.trim()) return <div className="entry-body">{text}</div>
  return <div className="entry-body entry-html" dangerouslySetInnerHTML={{ __html: html }} />
}

/** The entry's own files plus those that came in its mail (a received reply's attachments). */
function withMailFiles(own: Attachment[], emails: TicketEmail[], all: Attachment[]): Attachment[] {
  const ids = new Set(own.map((a) => a.id))
  const extra = all.filter((a) => !ids.has(a.id) && emails.some((m) => m.attachmentIds.includes(a.id)))
  return [...own, ...extra]
}

/** One conversation entry. Internal notes: yellow, dashed border, lock icon and the words "Nota interna". */
export function CommentEntry({ c, requesterId, emails = [], files = [] }: { c: Comment; requesterId?: string; emails?: TicketEmail[]; files?: Attachment[] }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const fromRequester = !!c.author && c.author.id === requesterId
  const cls = c.internal ? 'entry entry-note' : fromRequester ? 'entry entry-customer' : 'entry'
  return (
    <li className={cls} data-internal={c.internal ? 'true' : 'false'} data-comment={c.id}>
      <div className="entry-head">
        <span>
          <span className="entry-kind">{c.internal ? <><Icon name="lock" /> {t('timeline.internalNote')}</> : fromRequester ? <><Icon name="person" /> {t('timeline.fromRequester')}</> : <><Icon name="reply" /> {t('timeline.publicReply')}</>}</span>
          {' · '}<span className="entry-author">{c.author?.name ?? t('timeline.system')}</span>
          {c.channel && c.channel !== 'web' && c.channel !== 'system' ? <span className="muted"> · {t(`channel.${c.channel}`, { defaultValue: c.channel })}</span> : null}
        </span>
        <time className="muted" dateTime={c.createdAt}>{fmt.dateTime(c.createdAt)}</time>
      </div>
      <MessageBody html={c.bodyHtml} text={c.body} />
      <AttachmentList items={withMailFiles(c.attachments ?? [], emails, files).filter((a) => !shownInline(a, c.bodyHtml))} />
      <EmailMeta emails={emails} />
    </li>
  )
}

/** The ticket's description followed by its replies and notes, oldest first. */
export function Timeline({ ticket, comments, attachments = [], emails = [] }: { ticket: TicketDetail; comments: Comment[]; attachments?: Attachment[]; emails?: TicketEmail[] }) {
  // Mail behind each entry: by comment, and the first received mail without one is the description's.
  const byComment = new Map<string, TicketEmail[]>()
  for (const m of emails) if (m.commentId) byComment.set(m.commentId, [...(byComment.get(m.commentId) ?? []), m])
  const opening = emails.find((m) => m.direction === 'inbound' && !m.commentId)
  // Files of a mail that became a reply are shown with that reply, not with the description.
  const replyMailFiles = new Set(emails.filter((m) => m.commentId).flatMap((m) => m.attachmentIds))
  const { t } = useTranslation()
  const fmt = useFormat()
  return (
    <ol className="timeline" aria-label={t('timeline.title')}>
      <li className="entry entry-customer">
        <div className="entry-head">
          <span><span className="entry-kind"><Icon name="doc" /> {t('timeline.description')}</span> · <span className="entry-author">{ticket.requester?.name}</span> · <span className="muted">{t(`channel.${ticket.channel}`)}</span></span>
          <time className="muted" dateTime={ticket.createdAt}>{fmt.dateTime(ticket.createdAt)}</time>
        </div>
        <MessageBody html={ticket.descriptionHtml} text={ticket.description} />
        <AttachmentList items={attachments.filter((a) => !a.commentId && !replyMailFiles.has(a.id) && !shownInline(a, ticket.descriptionHtml))} />
        {opening ? <EmailMeta emails={[opening]} /> : null}
      </li>
      {comments.map((c) => <CommentEntry key={c.id} c={c} requesterId={ticket.requester?.id} emails={byComment.get(c.id)} files={attachments} />)}
    </ol>
  )
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o.name === 'string') return o.name
    if (typeof o.label === 'string') return o.label
    return JSON.stringify(v)
  }
  return String(v)
}

/** The append-only history: who changed what, when, from which value to which, and through which channel. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  if (!entries.length) return <p className="muted">{t('history.empty')}</p>
  const value = (field: string | null, v: unknown) => {
    if (field === 'status' && typeof v === 'string') return t(`status.${v}`, { defaultValue: v })
    if (field === 'priority' && typeof v === 'string') return t(`priority.${v}`, { defaultValue: v })
    return show(v)
  }
  return (
    <table className="grid">
      <caption className="sr-only">{t('history.title')}</caption>
      <thead><tr><th scope="col">{t('history.when')}</th><th scope="col">{t('history.who')}</th><th scope="col">{t('history.what')}</th><th scope="col">{t('history.change')}</th><th scope="col">{t('history.via')}</th></tr></thead>
      <tbody>
        {entries.map((h) => (
          <tr key={h.id}>
            <td className="nowrap"><time dateTime={h.at}>{fmt.dateTime(h.at)}</time></td>
            <td>{h.actor?.name ?? t('timeline.system')}</td>
            <td>{t(`history.actions.${h.action}`, { defaultValue: h.action })}{h.field ? ` · ${t(`fields.${h.field}`, { defaultValue: h.field })}` : ''}</td>
            <td>{h.oldValue !== undefined && h.oldValue !== null ? <>{value(h.field, h.oldValue)} → </> : null}{value(h.field, h.newValue)}</td>
            <td>{t(`channel.${h.via}`, { defaultValue: h.via })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
