import { useTranslation } from 'react-i18next'
import { STATUS_CODES, type StatusCode } from '../../../../../common/src/tickets/tickets.types'
import { useTicketConfig } from './useTicketConfig'

/** A status an agent may pick: its key (a base code or an admin's custom status), the code it maps to, its label as configured. */
export interface StatusChoice { key: string; code: StatusCode; label: string; custom: boolean }

/**
 * The statuses as the admin configured them (Administración › Estatus): renamed base statuses with
 * their new label, custom ones (each mapped to a base code) in admin order; the built-in labels until
 * the configuration loads. `codeLabel` names a base code as its base status is named.
 */
export function useStatusChoices() {
  const { t, i18n } = useTranslation()
  const { statuses } = useTicketConfig()
  const en = i18n.language.startsWith('en')
  const builtIn = (code: StatusCode): StatusChoice => ({ key: code, code, label: t(`status.${code}`), custom: false })
  const all: StatusChoice[] = statuses.length
    ? [...statuses].sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.key.localeCompare(b.key)).map((s) => ({
      key: s.key, code: s.status, custom: !(STATUS_CODES as readonly string[]).includes(s.key),
      label: (en ? s.labelEn : s.labelEs) || s.label || t(`status.${s.status}`),
    }))
    : STATUS_CODES.map(builtIn)
  const active = new Set(statuses.filter((s) => s.active !== false).map((s) => s.key))
  const choices = statuses.length ? all.filter((c) => active.has(c.key)) : all
  const codeLabel = (code: StatusCode) => all.find((c) => c.key === code)?.label ?? t(`status.${code}`)
  const codeOf = (key: string): StatusCode | undefined => all.find((c) => c.key === key)?.code
  return { choices, codeLabel, codeOf }
}
