import type { SlaTarget, TicketSla } from './api/tickets.api'

/** The ticket's SLA at a glance, for the row colour and the countdown. */
export type SlaSummaryState = 'breached' | 'warning' | 'running' | 'paused' | 'met'

export const SLA_TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const
export type SlaTargetName = (typeof SLA_TARGETS)[number]

/** A breached target stays `breached` after it is met; it is an open breach only while not met. */
const openBreach = (t: SlaTarget) => t.state === 'breached' && !t.metAt

/** The target that matters now: an open breach, else the running (or paused) one due first. */
export function urgentTarget(sla: TicketSla | null | undefined): { name: SlaTargetName; target: SlaTarget } | null {
  if (!sla) return null
  const live = SLA_TARGETS.flatMap((name) => {
    const target = sla[name]
    return target && (target.state === 'running' || target.state === 'paused' || openBreach(target)) ? [{ name, target }] : []
  })
  if (!live.length) return null
  return live.sort((a, b) => rank(a.target) - rank(b.target) || a.target.remainingMinutes - b.target.remainingMinutes)[0]
}

function rank(t: SlaTarget) {
  if (openBreach(t)) return 0
  if (t.state === 'running') return t.warning ? 1 : 2
  return 3
}

/** The SLA a ticket is held to: none once it is cancelled (its unmet targets are void, not overdue or paused). */
export function slaOf(ticket: { status: string; sla?: TicketSla | null }): TicketSla | null {
  return ticket.status === 'cancelled' ? null : ticket.sla ?? null
}

/** breached (an open breach) › warning (a running target past its warning point) › running › paused › met. */
export function slaSummary(sla: TicketSla | null | undefined): SlaSummaryState | null {
  if (!sla) return null
  const targets = SLA_TARGETS.map((n) => sla[n]).filter((t): t is SlaTarget => !!t)
  if (!targets.length) return null
  if (targets.some(openBreach)) return 'breached'
  if (targets.some((t) => t.state === 'running' && t.warning)) return 'warning'
  if (targets.some((t) => t.state === 'running')) return 'running'
  if (targets.some((t) => t.state === 'paused')) return 'paused'
  return 'met'
}

/** "2 h 15 min" / "45 min" / "3 d 4 h" from business minutes (absolute value). */
export function formatMinutes(minutes: number, units: { d: string; h: string; min: string }): string {
  const m = Math.abs(Math.trunc(minutes))
  const d = Math.floor(m / 1440)
  const h = Math.floor((m % 1440) / 60)
  const mm = m % 60
  if (d) return `${d} ${units.d}${h ? ` ${h} ${units.h}` : ''}`
  if (h) return `${h} ${units.h}${mm ? ` ${mm} ${units.min}` : ''}`
  return `${mm} ${units.min}`
}
