import type { CancelReason, StatusCode } from '../../../../../common/src/tickets/tickets.types'
import { STATUS_LABELS } from '../../../../../common/src/tickets/tickets.labels'

/** Who asks for a status change: support staff, the requester's side (customers), or the system (jobs, automations). */
export type TransitionActor = 'staff' | 'requester' | 'system'

const ANY: readonly TransitionActor[] = ['staff', 'requester', 'system']
const SUPPORT: readonly TransitionActor[] = ['staff', 'system']

/**
 * THE transition table: from → to → who may make that move. Everything not listed is refused.
 * `closed` and `cancelled` are final. `pending → open` is also what a requester's reply does;
 * `resolved → open` (reopen) is limited to the reopen window, checked below.
 */
export const TRANSITIONS: Record<StatusCode, Partial<Record<StatusCode, readonly TransitionActor[]>>> = {
  new: { open: SUPPORT, pending: SUPPORT, on_hold: SUPPORT, resolved: SUPPORT, cancelled: ANY },
  open: { pending: SUPPORT, on_hold: SUPPORT, resolved: SUPPORT, cancelled: ANY },
  pending: { open: ANY, on_hold: SUPPORT, resolved: SUPPORT, cancelled: ANY },
  on_hold: { open: SUPPORT, pending: SUPPORT, resolved: SUPPORT, cancelled: ANY },
  resolved: { open: ANY, closed: ANY },
  closed: {},
  cancelled: {},
}

export interface TransitionRequest {
  from: StatusCode
  to: StatusCode
  by: TransitionActor
  now: Date
  /** When the ticket was resolved (for the reopen window). */
  resolvedAt: Date | null
  reopenWindowDays: number
  cancelReason?: CancelReason | null
  duplicateOfId?: string | null
  thirdParty?: string | null
}

export type TransitionRefusal = { ok: false; code: string; messageKey: string; params: Record<string, unknown> }
export type TransitionCheck = { ok: true; reopen: boolean } | TransitionRefusal

const refuse = (code: string, messageKey: string, params: Record<string, unknown> = {}): TransitionRefusal => ({ ok: false, code, messageKey, params })

/** Label params for messages: {fromEs, fromEn, toEs, toEn}. */
export function statusLabelParams(from: StatusCode, to: StatusCode) {
  return { fromEs: STATUS_LABELS[from].es, fromEn: STATUS_LABELS[from].en, toEs: STATUS_LABELS[to].es, toEn: STATUS_LABELS[to].en, from, to }
}

/** Whether a resolved ticket is still inside its reopen window at `now`. */
export function withinReopenWindow(resolvedAt: Date | null, now: Date, days: number): boolean {
  if (!resolvedAt) return true
  return now.getTime() < resolvedAt.getTime() + days * 86_400_000
}

/**
 * Decides whether a status change is allowed and what it requires. Pure: the same rules serve
 * commands, bulk updates, automations and the UI (which asks the API for the abilities).
 * A move within one status code (between custom statuses) is allowed unless the code is final.
 */
export function checkTransition(req: TransitionRequest): TransitionCheck {
  const labels = statusLabelParams(req.from, req.to)
  if (req.from === 'closed' || req.from === 'cancelled') {
    return refuse('ticket_final', req.from === 'closed' ? 'tickets.transition.closed_final' : 'tickets.transition.cancelled_final', labels)
  }
  if (req.from !== req.to) {
    const who = TRANSITIONS[req.from][req.to]
    if (!who) return refuse('transition_not_allowed', 'tickets.transition.not_allowed', labels)
    if (!who.includes(req.by)) return refuse('transition_not_allowed', 'tickets.transition.not_allowed_for_requester', labels)
  }
  if (req.to === 'cancelled') {
    if (!req.cancelReason) return refuse('cancel_reason_required', 'tickets.transition.cancel_reason_required')
    if (req.by === 'requester' && req.cancelReason !== 'requester_request') {
      return refuse('transition_not_allowed', 'tickets.transition.requester_cancel_reason')
    }
    if (req.cancelReason === 'duplicate' && !req.duplicateOfId) return refuse('duplicate_of_required', 'tickets.transition.duplicate_of_required')
  }
  if (req.to === 'on_hold' && req.from !== 'on_hold' && !req.thirdParty?.trim()) {
    return refuse('third_party_required', 'tickets.transition.third_party_required')
  }
  const reopen = req.from === 'resolved' && req.to === 'open'
  if (reopen && !withinReopenWindow(req.resolvedAt, req.now, req.reopenWindowDays)) {
    return refuse('reopen_window_expired', 'tickets.transition.reopen_window_expired', { days: req.reopenWindowDays })
  }
  return { ok: true, reopen }
}

/** The status codes an actor could move a ticket to from `from` (for the UI's status menu). */
export function allowedTargets(from: StatusCode, by: TransitionActor): StatusCode[] {
  return (Object.entries(TRANSITIONS[from]) as Array<[StatusCode, readonly TransitionActor[]]>)
    .filter(([, who]) => who.includes(by)).map(([to]) => to)
}
