import { useTranslation } from 'react-i18next'
import type { Priority, StatusCode, StatusRef } from '../api/tickets.api'

/** Status chip: a custom status shows its own label, coloured by its code. */
export function StatusBadge({ status, info }: { status: StatusCode; info?: StatusRef | null }) {
  const { t } = useTranslation()
  return <span className={`status status-${status}`}>{info?.label || t(`status.${status}`)}</span>
}

const PRIORITY_ICON: Record<Priority, string> = { urgent: '▲▲', high: '▲', normal: '•', low: '▼' }

export function PriorityLabel({ priority }: { priority: Priority }) {
  const { t } = useTranslation()
  return <span className={`prio prio-${priority}-text`}><span aria-hidden="true">{PRIORITY_ICON[priority]} </span>{t(`priority.${priority}`)}</span>
}
