import type { TicketSummary } from './api/tickets.api'
import type { CustomField } from './api/config.api'

/** Columns the ticket table can show; custom fields are added as `cf:<key>`. */
export const BASE_COLUMNS = ['number', 'status', 'sla', 'subject', 'requester', 'organization', 'site', 'category', 'assignee', 'team', 'priority', 'channel', 'type', 'createdAt', 'updatedAt'] as const
export type BaseColumn = (typeof BASE_COLUMNS)[number]
export const DEFAULT_COLUMNS: string[] = ['number', 'status', 'sla', 'subject', 'requester', 'organization', 'assignee', 'team', 'priority', 'updatedAt']

/** Columns the server can sort by, and their sort keys (a leading '-' is descending). */
export const SORTABLE: Record<string, string> = { number: 'number', priority: 'priority', createdAt: 'createdAt', updatedAt: 'updatedAt', sla: 'sla_due' }
/** Sorts with one direction only (due first). */
export const ONE_WAY_SORTS = new Set(['sla_due'])

const STORAGE_KEY = 'atiende.ticketColumns'

export function loadColumns(): string[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    const parsed = raw ? (JSON.parse(raw) as unknown) : null
    if (Array.isArray(parsed) && parsed.length && parsed.every((c) => typeof c === 'string')) return parsed as string[]
  } catch { /* ignore */ }
  return DEFAULT_COLUMNS
}

export function saveColumns(cols: string[]) {
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(cols)) } catch { /* ignore */ }
}

/** A custom field value as a cell shows it: option labels in the UI language, lists joined, ✓ for a checked box. */
export function customValue(t: TicketSummary, key: string, field?: CustomField, lang = 'es'): string {
  const v = t.customFields?.[key]
  if (v === null || v === undefined || v === '') return ''
  const option = (x: unknown) => {
    const o = field?.options?.find((opt) => opt.value === x)
    return o ? (lang.startsWith('en') ? o.labelEn : o.labelEs) || o.value : String(x)
  }
  if (Array.isArray(v)) return v.map(option).join(', ')
  if (typeof v === 'boolean') return v ? '✓' : ''
  return option(v)
}
