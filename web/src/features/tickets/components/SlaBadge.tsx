import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../../../app/format'
import { Icon } from '../../../ui/Icon'
import type { SlaTarget, TicketSla } from '../api/tickets.api'
import { formatDue, formatMinutes, slaCountdown, slaSummary, urgentTarget, type SlaTargetName } from '../sla'

/** Re-renders every 30 s so countdowns keep moving between refetches. */
function useTick(ms = 30_000) {
  const [, set] = useState(0)
  useEffect(() => { const id = setInterval(() => set((n) => n + 1), ms); return () => clearInterval(id) }, [ms])
}

/**
 * The words of a countdown ("Vence en 2 h", "Vence mar 8 dic, 10:00", "Vencido por 15 min",
 * "Vencido desde lun 7 dic, 10:00", "En pausa"), from the target's state and absolute deadline only
 * (see slaCountdown): outside office hours nothing is extrapolated into a breach.
 */
export function useCountdownText() {
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  const units = { h: t('sla.units.h'), min: t('sla.units.min') }
  return (target: SlaTarget, now = Date.now()): string | null => {
    const c = slaCountdown(target, now)
    switch (c.kind) {
      case 'paused': return t('sla.paused')
      case 'dueIn': return t('sla.dueIn', { time: formatMinutes(c.minutes, units) })
      case 'dueOn': return t('sla.dueOn', { when: formatDue(c.at, i18n.language, fmt.timeZone) })
      case 'overdueBy': return t('sla.overdue', { time: formatMinutes(c.minutes, units) })
      case 'overdueSince': return t('sla.overdueSince', { when: formatDue(c.at, i18n.language, fmt.timeZone) })
      case 'none': return null
    }
  }
}

/** The countdown of the target due first, coloured by state. */
export function SlaBadge({ sla, compact }: { sla: TicketSla | null | undefined; compact?: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const countdown = useCountdownText()
  useTick()
  const urgent = urgentTarget(sla)
  const state = slaSummary(sla)
  if (!urgent || !state) return state === 'met' ? <span className="sla sla-met">{t('sla.state.met')}</span> : null
  const now = Date.now()
  const text = countdown(urgent.target, now) ?? ''
  // A running target whose deadline passed since the fetch is overdue (the server reads it so too).
  const shown = state !== 'breached' && slaCountdown(urgent.target, now).kind.startsWith('overdue') ? 'breached' : state
  const title = `${t(`sla.target.${urgent.name}`)}${urgent.target.dueAt ? ` · ${t('sla.dueAt', { when: fmt.dateTime(urgent.target.dueAt) })}` : ''}`
  return (
    <span className={`sla sla-${shown}`} title={title} data-sla={shown}>
      <Icon name="clock" /> {compact ? null : <span className="sr-only">{t(`sla.target.${urgent.name}`)}: </span>}{text}
    </span>
  )
}

/**
 * The three targets in the side panel: state, countdown to the deadline (wall clock, see
 * slaCountdown) and, for a paused target, the business time it has left as the server gave it.
 */
export function SlaTargets({ sla }: { sla: TicketSla }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const countdown = useCountdownText()
  useTick()
  const units = { h: t('sla.units.h'), min: t('sla.units.min') }
  const rows = (['firstResponse', 'nextResponse', 'resolution'] as SlaTargetName[]).flatMap((name) => (sla[name] ? [{ name, target: sla[name] }] : []))
  const now = Date.now()
  return (
    <dl className="dl sla-targets">
      {rows.map(({ name, target }) => {
        const kind = slaCountdown(target, now).kind
        const overdueNow = target.state === 'running' && kind.startsWith('overdue')
        const state = target.state === 'breached' && target.metAt ? 'met-late' : overdueNow ? 'breached' : target.state === 'running' && target.warning ? 'warning' : target.state
        const detail = target.state === 'met' || target.metAt ? t('sla.metAt', { when: fmt.dateTime(target.metAt) })
          : target.state === 'paused' ? t('sla.pausedLeft', { time: formatMinutes(Math.max(0, target.remainingMinutes), units) })
            : countdown(target, now)
        // A countdown in hours gets the deadline below it; one that already names the date does not.
        const dueLine = target.dueAt && !target.metAt && (kind === 'dueIn' || kind === 'overdueBy')
        return (
          <div key={name} style={{ display: 'contents' }}>
            <dt>{t(`sla.target.${name}`)}</dt>
            <dd>
              <span className={`sla sla-${state === 'met-late' ? 'breached' : state}`} data-sla-target={name} data-sla={state}>{t(`sla.state.${state}`)}</span>{' '}
              <span className="small">{detail}</span>
              {dueLine ? <div className="muted small">{t('sla.dueAt', { when: fmt.dateTime(target.dueAt) })}</div> : null}
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
