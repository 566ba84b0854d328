import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../../../app/format'
import { Icon } from '../../../ui/Icon'
import type { SlaTarget, TicketSla } from '../api/tickets.api'
import { formatMinutes, slaSummary, urgentTarget, type SlaTargetName } from '../sla'

/** Re-renders every 30 s so countdowns keep moving between refetches. */
function useTick(ms = 30_000) {
  const [, set] = useState(0)
  useEffect(() => { const id = setInterval(() => set((n) => n + 1), ms); return () => clearInterval(id) }, [ms])
}

/** Minutes left, counted down from the response's remainingMinutes while the clock runs. */
export function liveRemaining(target: SlaTarget, fetchedAt: number, now = Date.now()): number {
  if (target.state !== 'running') return target.remainingMinutes
  return target.remainingMinutes - Math.floor((now - fetchedAt) / 60_000)
}

/** The countdown of the target due first ("Vence en 2 h", "Vencido por 15 min", "En pausa"), coloured by state. */
export function SlaBadge({ sla, fetchedAt, compact }: { sla: TicketSla | null | undefined; fetchedAt?: number; compact?: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  useTick()
  const urgent = urgentTarget(sla)
  const state = slaSummary(sla)
  if (!urgent || !state) return state === 'met' ? <span className="sla sla-met">{t('sla.state.met')}</span> : null
  const units = { d: t('sla.units.d'), h: t('sla.units.h'), min: t('sla.units.min') }
  const left = liveRemaining(urgent.target, fetchedAt ?? Date.now())
  const text = urgent.target.state === 'paused' ? t('sla.paused')
    : left < 0 || urgent.target.state === 'breached' ? t('sla.overdue', { time: formatMinutes(left, units) })
      : t('sla.dueIn', { time: formatMinutes(left, units) })
  const title = `${t(`sla.target.${urgent.name}`)}${urgent.target.dueAt ? ` · ${t('sla.dueAt', { when: fmt.dateTime(urgent.target.dueAt) })}` : ''}`
  return (
    <span className={`sla sla-${state}`} title={title} data-sla={state}>
      <Icon name="clock" /> {compact ? null : <span className="sr-only">{t(`sla.target.${urgent.name}`)}: </span>}{text}
    </span>
  )
}

/** The three targets in the side panel: state, due time and business minutes left or over. */
export function SlaTargets({ sla, fetchedAt }: { sla: TicketSla; fetchedAt: number }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  useTick()
  const units = { d: t('sla.units.d'), h: t('sla.units.h'), min: t('sla.units.min') }
  const rows = (['firstResponse', 'nextResponse', 'resolution'] as SlaTargetName[]).flatMap((name) => (sla[name] ? [{ name, target: sla[name] }] : []))
  return (
    <dl className="dl sla-targets">
      {rows.map(({ name, target }) => {
        const left = liveRemaining(target, fetchedAt)
        const state = target.state === 'breached' && target.metAt ? 'met-late' : target.state === 'running' && target.warning ? 'warning' : target.state
        const detail = target.state === 'met' || target.metAt ? t('sla.metAt', { when: fmt.dateTime(target.metAt) })
          : target.state === 'paused' ? t('sla.paused')
            : left < 0 || target.state === 'breached' ? t('sla.overdue', { time: formatMinutes(left, units) }) : t('sla.dueIn', { time: formatMinutes(left, units) })
        return (
          <div key={name} style={{ display: 'contents' }}>
            <dt>{t(`sla.target.${name}`)}</dt>
            <dd>
              <span className={`sla sla-${state === 'met-late' ? 'breached' : state}`} data-sla-target={name} data-sla={state}>{t(`sla.state.${state}`)}</span>{' '}
              <span className="small">{detail}</span>
              {target.dueAt && !target.metAt ? <div className="muted small">{t('sla.dueAt', { when: fmt.dateTime(target.dueAt) })}</div> : null}
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
