import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useFormat } from '../../../app/format'
import { customValue, ONE_WAY_SORTS, SORTABLE } from '../columns'
import { slaOf, slaSummary } from '../sla'
import { SlaBadge } from './SlaBadge'
import type { TicketSummary } from '../api/tickets.api'
import type { CustomField } from '../api/config.api'
import { PriorityLabel, StatusBadge } from './TicketLabels'

interface Props {
  tickets: TicketSummary[]
  columns: string[]
  columnLabel: (c: string) => string
  sort: string
  onSort: (sort: string) => void
  selected: Set<string>
  onToggle: (id: string) => void
  onToggleAll: (on: boolean) => void
  cursor: number
  ticketHref: (t: TicketSummary) => string
  /** Custom field definitions (option labels of `cf:` columns). */
  customFields?: CustomField[]
}

/** Row class by SLA: an open breach or a warning colours the whole row. */
function slaRow(tk: TicketSummary) {
  const st = slaSummary(slaOf(tk))
  return st ? `row-sla-${st}` : ''
}

/** The ticket table: chosen columns in the chosen order, row colour by priority and SLA state. */
export function TicketTable({ tickets, columns, columnLabel, sort, onSort, selected, onToggle, onToggleAll, cursor, ticketHref, customFields = [] }: Props) {
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  const allOn = tickets.length > 0 && tickets.every((x) => selected.has(x.id))

  const cell = (tk: TicketSummary, c: string) => {
    switch (c) {
      case 'number': return <Link href={ticketHref(tk)} className="ticket-link">#{tk.number}</Link>
      case 'subject': return <Link href={ticketHref(tk)}>{tk.subject}</Link>
      case 'status': return <StatusBadge status={tk.status} info={tk.customStatus} />
      case 'priority': return <PriorityLabel priority={tk.priority} />
      case 'sla': return <SlaBadge sla={slaOf(tk)} compact />
      case 'requester': return tk.requester?.name ?? ''
      case 'organization': return tk.organization?.name ?? ''
      case 'site': return tk.site ? [tk.site.code, tk.site.name].filter(Boolean).join(' · ') : ''
      case 'category': return tk.category ? (tk.category.path?.map((p) => p.name).join(' › ') || tk.category.name) : ''
      case 'assignee': return tk.assignee?.name ?? <span className="muted">{t('filters.unassigned')}</span>
      case 'team': return tk.team?.name ?? ''
      case 'channel': return t(`channel.${tk.channel}`)
      case 'type': return tk.type?.name ?? ''
      case 'createdAt': return <time dateTime={tk.createdAt} title={fmt.dateTime(tk.createdAt)}>{fmt.dateTime(tk.createdAt)}</time>
      case 'updatedAt': return <time dateTime={tk.updatedAt} title={fmt.dateTime(tk.updatedAt)}>{fmt.relative(tk.updatedAt)}</time>
      default: return c.startsWith('cf:') ? customValue(tk, c.slice(3), customFields.find((f) => f.key === c.slice(3)), i18n.language) : ''
    }
  }

  const header = (c: string) => {
    const key = SORTABLE[c]
    if (!key) return <th key={c} scope="col">{columnLabel(c)}</th>
    const oneWay = ONE_WAY_SORTS.has(key)
    const active = sort === key || sort === `-${key}`
    const desc = sort === `-${key}` || (oneWay && active)
    return (
      <th key={c} scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" onClick={() => onSort(oneWay ? key : active && desc ? key : `-${key}`)}>
          {columnLabel(c)} <span aria-hidden="true">{active ? (desc ? '↓' : '↑') : '↕'}</span>
        </button>
      </th>
    )
  }

  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="grid" aria-label={t('inbox.tableLabel')}>
        <thead>
          <tr>
            <th scope="col" style={{ width: 32 }}>
              <input type="checkbox" checked={allOn} onChange={(e) => onToggleAll(e.target.checked)} aria-label={t('inbox.selectAll')} />
            </th>
            {columns.map(header)}
          </tr>
        </thead>
        <tbody>
          {tickets.map((tk, i) => (
            <tr key={tk.id} data-ticket={tk.number} aria-selected={selected.has(tk.id)}
              className={[`prio-${tk.priority}`, slaRow(tk), i === cursor ? 'is-cursor' : ''].join(' ')}>
              <td><input type="checkbox" checked={selected.has(tk.id)} onChange={() => onToggle(tk.id)} aria-label={t('inbox.selectTicket', { number: tk.number })} /></td>
              {columns.map((c) => <td key={c} className={`col-${c.startsWith('cf:') ? 'cf' : c}`}>{cell(tk, c)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
