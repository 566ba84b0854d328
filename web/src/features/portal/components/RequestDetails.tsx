import { useTranslation } from 'react-i18next'
import { labelOf, type CustomField } from '../../tickets/api/config.api'
import type { TicketDetail } from '../../tickets/api/tickets.api'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'

/** A "YYYY-MM-DD" value as a date in the UI language (the day itself, never shifted by a time zone). */
function dayLabel(v: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (!m) return v
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d)
}

/**
 * One custom field value as words: option labels in the UI language, a tick box as yes/no, dates
 * as dates. Null when there is nothing to show (empty, or a value that would only be an id).
 */
function valueText(f: CustomField, v: unknown, lang: string, yesNo: (b: boolean) => string): string | null {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return null
  const option = (x: unknown) => {
    const o = f.options?.find((opt) => opt.value === x)
    return o ? (lang.startsWith('en') ? o.labelEn : o.labelEs) || o.value : String(x)
  }
  switch (f.kind) {
    case 'checkbox': return typeof v === 'boolean' ? yesNo(v) : null
    case 'date': return typeof v === 'string' ? dayLabel(v, lang) : null
    case 'number': return typeof v === 'number' ? new Intl.NumberFormat(lang).format(v) : String(v)
    case 'select': case 'multi_select': return Array.isArray(v) ? v.map(option).join(', ') : option(v)
    case 'user': return null // a staff member's id: nothing a customer can read
    default: return Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'object' ? null : String(v)
  }
}

/**
 * "Your request's details": type, category and the custom fields the customer may see (the API
 * sends only those), with their labels and option labels from the configuration API; the reason
 * and note of a cancellation.
 */
export function RequestDetails({ ticket }: { ticket: TicketDetail }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const { types, customFields } = useTicketConfig()
  const values = ticket.customFields ?? {}
  const type = types.find((x) => x.id === ticket.type?.id)
  const rows: Array<{ key: string; label: string; value: string; long?: boolean }> = []
  if (ticket.type) rows.push({ key: 'type', label: t('fields.type'), value: type ? labelOf(type, lang) : ticket.type.name })
  if (ticket.category) rows.push({ key: 'category', label: t('fields.category'), value: ticket.category.name })
  for (const f of [...customFields].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))) {
    if (!(f.key in values)) continue
    const value = valueText(f, values[f.key], lang, (b) => (b ? t('common.yes') : t('common.no')))
    if (value !== null) rows.push({ key: `cf-${f.key}`, label: labelOf(f, lang), value, long: f.kind === 'long_text' })
  }
  if (ticket.status === 'cancelled' && ticket.cancelReason) {
    rows.push({ key: 'cancel-reason', label: t('statusChange.cancelReason'), value: t(`statusChange.reasons.${ticket.cancelReason}`) })
    if (ticket.cancelNote) rows.push({ key: 'cancel-note', label: t('statusChange.cancelNote'), value: ticket.cancelNote, long: true })
  }
  if (!rows.length) return null
  return (
    <section className="card stack" aria-labelledby="details-h">
      <h2 id="details-h">{t('portal.ticket.details')}</h2>
      <dl className="dl">
        {rows.map((r) => (
          <div key={r.key} data-field={r.key} style={{ display: 'contents' }}>
            <dt>{r.label}</dt>
            <dd style={r.long ? { whiteSpace: 'pre-wrap' } : undefined}>{r.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
