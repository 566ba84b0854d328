import { useMemo, type ReactNode } from 'react'
import { useQueries } from '@tanstack/react-query'
import { Trans, useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { api } from '../../../app/api-client'
import { useFormat } from '../../../app/format'
import { labelOf } from '../api/config.api'
import { useStaffDirectory, useTicketConfig } from '../hooks/useTicketConfig'
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

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)
/** "support_level" → "Support level": the last resort for a key no label knows (never the JSON). */
const humanize = (key: string) => { const s = key.replace(/^custom_fields\./, '').replace(/[_.]+/g, ' ').trim(); return s.charAt(0).toUpperCase() + s.slice(1) }
const clip = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n).trimEnd()}…` : s)
const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

/** The number of a ticket a history value names: `{id, number}` itself or under `ticket` (null when hidden). */
function ticketNumberOf(v: unknown): string | null {
  if (!isObj(v)) return null
  if (typeof v.number === 'number' || (typeof v.number === 'string' && v.number)) return String(v.number)
  return isObj(v.ticket) ? ticketNumberOf(v.ticket) : null
}

function TicketRef({ number }: { number: string }) {
  return <Link href={`/agent/tickets/${number}`}>#{number}</Link>
}

/** Ids a history page names that the staff directory may not hold (requesters, watchers, user fields). */
function idsToLook(entries: HistoryEntry[], userFieldKeys: Set<string>) {
  const users = new Set<string>()
  const orgs = new Set<string>()
  const add = (set: Set<string>, v: unknown) => { for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' && /^[0-9a-f-]{36}$/i.test(x)) set.add(x) }
  for (const h of entries) {
    const values = [h.oldValue, h.newValue]
    if (h.field === 'requester' || h.field === 'assignee' || h.field === 'watchers') values.forEach((v) => add(users, v))
    else if (h.field?.startsWith('custom_fields.') && userFieldKeys.has(h.field.slice(14))) values.forEach((v) => add(users, v))
    else if (h.field === 'organization') values.forEach((v) => add(orgs, v))
    else if (h.action === 'created' && isObj(h.newValue)) add(users, h.newValue.requesterId)
  }
  return { users: [...users], orgs: [...orgs] }
}

/**
 * Turns history rows into words in the UI language: statuses, priorities, types, categories, teams,
 * people and custom fields by their labels; links, merges and follow-ups by ticket number; files by
 * name. A row of a shape it does not know still reads as "label: value" pairs.
 */
function useHistoryText(entries: HistoryEntry[]) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const { statuses, types, categories, customFields } = useTicketConfig()
  const { agents, teams } = useStaffDirectory()
  const userFieldKeys = useMemo(() => new Set(customFields.filter((f) => f.kind === 'user').map((f) => f.key)), [customFields])
  const wanted = useMemo(() => idsToLook(entries, userFieldKeys), [entries, userFieldKeys])
  const lookup = { staleTime: 5 * 60_000, retry: false } as const
  const users = useQueries({
    queries: wanted.users.filter((id) => !agents.some((a) => a.id === id))
      .map((id) => ({ queryKey: ['user', id], queryFn: () => api.get<{ id: string; name: string }>(`/api/v1/users/${id}`), ...lookup })),
  })
  const orgs = useQueries({ queries: wanted.orgs.map((id) => ({ queryKey: ['organization', id], queryFn: () => api.get<{ id: string; name: string }>(`/api/v1/organizations/${id}`), ...lookup })) })

  const unavailable = t('history.values.unavailable')
  const yesNo = (b: boolean) => t(b ? 'common.yes' : 'common.no')
  const userName = (id: unknown) => {
    if (typeof id !== 'string') return unavailable
    return agents.find((a) => a.id === id)?.name ?? users.find((q) => q.data?.id === id)?.data?.name ?? unavailable
  }
  const statusLabel = (v: unknown) => {
    const key = isObj(v) ? str(v.key) ?? str(v.code) : str(v)
    if (!key) return '—'
    const row = statuses.find((s) => s.key === key)
    const code = isObj(v) ? str(v.code) ?? row?.status : row?.status ?? key
    return (row ? labelOf(row, lang) : '') || t(`status.${code ?? key}`, { defaultValue: humanize(key) })
  }
  const fieldLabel = (field: string) => {
    if (field.startsWith('custom_fields.')) {
      const def = customFields.find((f) => f.key === field.slice(14))
      return (def ? labelOf(def, lang) : '') || humanize(field)
    }
    const camel = field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    return t(`history.fields.${field}`, { defaultValue: t(`fields.${camel}`, { defaultValue: humanize(field) }) })
  }
  const listDiff = (oldV: unknown, newV: unknown, name: (x: unknown) => string) => {
    const before = Array.isArray(oldV) ? oldV : []
    const after = Array.isArray(newV) ? newV : []
    const added = after.filter((x) => !before.includes(x)).map(name)
    const removed = before.filter((x) => !after.includes(x)).map(name)
    const parts = [added.length ? t('history.values.added', { items: added.join(', ') }) : '', removed.length ? t('history.values.removed', { items: removed.join(', ') }) : '']
    return parts.filter(Boolean).join(' · ') || '—'
  }

  /** Any value, readable: objects as "label: value" pairs, lists joined, never braces. */
  const plain = (v: unknown, depth = 0): string => {
    if (isEmpty(v)) return '—'
    if (typeof v === 'boolean') return yesNo(v)
    if (typeof v === 'string' || typeof v === 'number') return clip(String(v))
    if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1)).join(', ')
    if (!isObj(v) || depth > 2) return unavailable
    const n = ticketNumberOf(v)
    if (n) return `#${n}`
    if ('code' in v && 'key' in v) return statusLabel(v)
    for (const k of ['name', 'label', 'filename', 'title']) if (str(v[k])) return String(v[k])
    const pairs = Object.entries(v).filter(([k, x]) => !isEmpty(x) && !/(^id$|Id$)/.test(k))
    return pairs.length ? pairs.map(([k, x]) => `${t(`history.fields.${k}`, { defaultValue: humanize(k) })}: ${plain(x, depth + 1)}`).join(' · ') : '—'
  }

  /** One value of a field, by the field's kind. */
  const value = (field: string | null, v: unknown): ReactNode => {
    switch (field) {
      case 'status': return statusLabel(v)
      case 'priority': return typeof v === 'string' ? t(`priority.${v}`, { defaultValue: humanize(v) }) : plain(v)
      case 'type': { const row = types.find((x) => x.code === v || x.id === v); return row ? labelOf(row, lang) || row.code : plain(v) }
      case 'category': { if (isEmpty(v)) return t('history.values.noCategory'); const c = categories.find((x) => x.id === v); return c ? c.fullName ?? c.name : unavailable }
      case 'assignee': return isEmpty(v) ? t('history.values.unassigned') : userName(v)
      case 'requester': return userName(v)
      case 'team': return isEmpty(v) ? t('history.values.noTeam') : teams.find((x) => x.id === v)?.name ?? unavailable
      case 'organization': return isEmpty(v) ? t('history.values.noOrganization') : orgs.find((q) => q.data?.id === v)?.data?.name ?? unavailable
      // The row holds only the site's id, and sites are read through their organization.
      case 'site': return isEmpty(v) ? t('history.values.noSite') : unavailable
      case 'support_level': return isEmpty(v) ? '—' : t('history.values.level', { level: plain(v) })
      case 'description': return typeof v === 'string' ? clip(v, 200) : plain(v)
      case 'duplicate_of': { const n = ticketNumberOf(v); return n ? <TicketRef number={n} /> : plain(v) }
      case 'cancel_reason': {
        if (!isObj(v)) return plain(v)
        const reason = str(v.reason) ? t(`history.values.cancelReasons.${String(v.reason)}`, { defaultValue: humanize(String(v.reason)) }) : '—'
        return str(v.note) ? `${reason}: ${String(v.note)}` : reason
      }
      case 'third_party': return isObj(v) && str(v.name) ? (str(v.reference) ? `${String(v.name)} (${String(v.reference)})` : String(v.name)) : plain(v)
    }
    if (field?.startsWith('custom_fields.')) {
      const def = customFields.find((f) => f.key === field.slice(14))
      const option = (x: unknown) => { const o = def?.options?.find((opt) => opt.value === x); return o ? (lang.startsWith('en') ? o.labelEn : o.labelEs) || o.value : plain(x) }
      if (isEmpty(v)) return '—'
      if (def?.kind === 'user') return userName(v)
      if (def?.kind === 'site') return unavailable
      if (typeof v === 'boolean') return yesNo(v)
      return Array.isArray(v) ? v.map(option).join(', ') : option(v)
    }
    return plain(v)
  }

  /** "What" (an action sentence, or the changed field's label) and "Change" (from → to, or details). */
  const describe = (h: HistoryEntry): { what: ReactNode; change: ReactNode } => {
    const n = ticketNumberOf(h.newValue) ?? ticketNumberOf(h.oldValue)
    const ref = (key: string, values: Record<string, string> = {}) => n
      ? <Trans i18nKey={key} values={{ number: n, ...values }} components={{ ticket: <Link href={`/agent/tickets/${n}`} /> }} />
      : t(`${key}Hidden`, values)
    const nv = isObj(h.newValue) ? h.newValue : {}
    switch (h.action) {
      case 'created': {
        const parts = ['subject', 'type', 'priority', 'categoryId', 'channel', 'requesterId', 'status'].filter((k) => !isEmpty(nv[k])).map((k) => {
          const f = k.replace(/Id$/, '')
          const shown = f === 'channel' ? t(`channel.${String(nv[k])}`, { defaultValue: humanize(String(nv[k])) }) : value(f, nv[k])
          return `${fieldLabel(f)}: ${typeof shown === 'string' ? shown : plain(nv[k])}`
        })
        return { what: t('history.actions.created'), change: parts.join(' · ') || '—' }
      }
      case 'imported': {
        const parts = [str(nv.source) ? t('history.values.source', { source: nv.source }) : '', !isEmpty(nv.originalNumber) ? t('history.values.originalNumber', { number: String(nv.originalNumber) }) : '']
        return { what: t('history.actions.imported'), change: parts.filter(Boolean).join(' · ') || '—' }
      }
      case 'comment_added': return { what: t(nv.internal ? 'history.actions.noteAdded' : 'history.actions.replyAdded'), change: '' }
      case 'call_added': return { what: t('history.actions.callAdded'), change: typeof h.newValue === 'number' ? t('history.values.calls', { count: h.newValue }) : '' }
      case 'attachment_added': return { what: t('history.actions.attachmentAdded', { name: str(nv.filename) ?? unavailable }), change: typeof nv.size === 'number' ? bytes(nv.size) : '' }
      case 'attachments_attached': {
        const files = Array.isArray(nv.attachments) ? nv.attachments.map((a) => (isObj(a) && str(a.filename)) || unavailable) : []
        return { what: t('history.actions.attachmentsAttached'), change: files.join(', ') || '—' }
      }
      case 'link_added':
      case 'link_removed': {
        const nvOrOld = isObj(h.newValue) ? h.newValue : isObj(h.oldValue) ? h.oldValue : {}
        const type = str(nvOrOld.type) ? t(`history.linkTypes.${String(nvOrOld.type)}`, { defaultValue: humanize(String(nvOrOld.type)) }) : '—'
        return { what: ref(h.action === 'link_added' ? 'history.actions.linkAdded' : 'history.actions.linkRemoved', { type }), change: '' }
      }
      case 'merged_into':
      case 'merged_from': {
        const moved = t('history.values.moved', { comments: Number(nv.comments ?? 0), attachments: Number(nv.attachments ?? 0) })
        return { what: ref(h.action === 'merged_into' ? 'history.actions.mergedInto' : 'history.actions.mergedFrom'), change: nv.madeInternal ? `${moved} · ${t('history.values.madeInternal')}` : moved }
      }
      case 'follow_up_created': return { what: ref('history.actions.followUp'), change: '' }
      case 'broadcast_sent': {
        const list = (x: unknown) => (Array.isArray(x) ? x.map((y) => `#${String(y)}`).join(', ') : '')
        const parts = [list(nv.posted) ? t('history.values.posted', { list: list(nv.posted) }) : '', list(nv.skipped) ? t('history.values.skipped', { list: list(nv.skipped) }) : '']
        return { what: t('history.actions.broadcastSent'), change: parts.filter(Boolean).join(' · ') || '—' }
      }
    }
    if (h.field === 'tags') return { what: fieldLabel('tags'), change: listDiff(h.oldValue, h.newValue, String) }
    if (h.field === 'watchers') return { what: fieldLabel('watchers'), change: listDiff(h.oldValue, h.newValue, userName) }
    if (h.field === 'external_refs') {
      const refText = (r: unknown) => (isObj(r) ? [t(`refs.${String(r.kind)}`, { defaultValue: '' }), str(r.value), str(r.provider) ? `(${String(r.provider)})` : ''].filter(Boolean).join(' ') : plain(r))
      const added = isObj(h.newValue) && Array.isArray(h.newValue.added) ? h.newValue.added.map(refText) : []
      const removed = isObj(h.oldValue) && Array.isArray(h.oldValue.removed) ? h.oldValue.removed.map(refText) : []
      const parts = [added.length ? t('history.values.added', { items: added.join(', ') }) : '', removed.length ? t('history.values.removed', { items: removed.join(', ') }) : '']
      return { what: fieldLabel('external_refs'), change: parts.filter(Boolean).join(' · ') || '—' }
    }
    // A field change (status_changed, field_changed, and imported rows of other shapes that name a field).
    if (h.field) {
      const from = isEmpty(h.oldValue) && h.action !== 'field_changed' && h.action !== 'status_changed' ? null : value(h.field, h.oldValue)
      return { what: fieldLabel(h.field), change: from === null ? value(h.field, h.newValue) : <>{from} → {value(h.field, h.newValue)}</> }
    }
    return { what: t(`history.actions.${h.action}`, { defaultValue: t('history.actions.other') }), change: isEmpty(h.newValue) ? plain(h.oldValue) : plain(h.newValue) }
  }
  return { describe, via: (v: string) => t(`history.channels.${v}`, { defaultValue: humanize(v) }) }
}

/** The append-only history: who changed what, when, from which value to which, and through which channel. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const text = useHistoryText(entries)
  if (!entries.length) return <p className="muted">{t('history.empty')}</p>
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="grid history">
        <caption className="sr-only">{t('history.title')}</caption>
        <thead><tr><th scope="col">{t('history.when')}</th><th scope="col">{t('history.who')}</th><th scope="col">{t('history.what')}</th><th scope="col">{t('history.change')}</th><th scope="col">{t('history.via')}</th></tr></thead>
        <tbody>
          {entries.map((h) => {
            const { what, change } = text.describe(h)
            return (
              <tr key={h.id} data-action={h.action}>
                <td className="nowrap"><time dateTime={h.at}>{fmt.dateTime(h.at)}</time></td>
                <td>{h.actor?.name ?? t('timeline.system')}</td>
                <td>{what}</td>
                <td>{change}</td>
                <td>{text.via(h.via)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
