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

/**
 * "24 h" / "1 h 30 min" / "45 min" from minutes (absolute value). Hours never roll into days: SLA
 * targets are business minutes, and 1,440 of them are three 8-hour working days, not one day.
 */
export function formatMinutes(minutes: number, units: { h: string; min: string }): string {
  const m = Math.abs(Math.trunc(minutes))
  const h = Math.floor(m / 60)
  const mm = m % 60
  if (h) return `${h} ${units.h}${mm ? ` ${mm} ${units.min}` : ''}`
  return `${mm} ${units.min}`
}

/** Past this wall-clock distance a countdown shows the deadline's date instead ("vence mar 8 dic, 10:00"). */
export const COUNTDOWN_LIMIT_MINUTES = 24 * 60

/**
 * What a countdown may say about a target at `now`, from the server's state and absolute instants
 * only, never by extrapolating business time: the deadline is an instant, so the wall-clock time
 * to it (or since it) is exact whatever the calendar. A target the server says is running is
 * overdue once its `dueAt` has passed (the server reads it the same way); paused targets do not move.
 */
export type SlaCountdown =
  | { kind: 'paused' }
  | { kind: 'dueIn'; minutes: number }
  | { kind: 'dueOn'; at: string }
  | { kind: 'overdueBy'; minutes: number }
  | { kind: 'overdueSince'; at: string }
  | { kind: 'none' }

export function slaCountdown(target: SlaTarget, now = Date.now()): SlaCountdown {
  if (target.state === 'paused') return { kind: 'paused' }
  const due = target.state === 'breached' && !target.metAt ? target.breachedAt ?? target.dueAt : target.state === 'running' ? target.dueAt : null
  if (!due) return { kind: 'none' }
  const ms = Date.parse(due) - now
  if (target.state === 'breached' || ms <= 0) {
    const over = Math.floor(-Math.min(ms, 0) / 60_000)
    return over < COUNTDOWN_LIMIT_MINUTES ? { kind: 'overdueBy', minutes: over } : { kind: 'overdueSince', at: due }
  }
  const left = Math.floor(ms / 60_000)
  return left < COUNTDOWN_LIMIT_MINUTES ? { kind: 'dueIn', minutes: left } : { kind: 'dueOn', at: due }
}

const dueFormats = new Map<string, Intl.DateTimeFormat>()

/** A deadline as weekday, day, month and time in the viewer's zone: «mar 8 dic, 10:00», "Tue, Dec 8, 10:00 AM". */
export function formatDue(iso: string, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`
  let f = dueFormats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZone, ...(locale.startsWith('es') ? { hourCycle: 'h23' as const } : {}) })
    dueFormats.set(key, f)
  }
  // Spanish writes «8 de dic»; in a badge the short «8 dic» reads better.
  return f.formatToParts(new Date(iso)).map((p) => (p.type === 'literal' ? p.value.replace(/ de /g, ' ') : p.value)).join('')
}
