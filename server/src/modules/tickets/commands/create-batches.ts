import type { Actor } from '../../../platform/auth/actor'
import type { AppContext } from '../../../platform/context'
import { inTransaction } from '../../../platform/db/database'
import { tickBatcher } from '../../../platform/db/tick-batcher'
import { loadTicketDetails, type TicketDetail } from '../queries/get-ticket-detail'
import { loadExtraTicketFields } from '../tickets.extensions'
import { createTicket, createTickets, type CreateTicketInput, type CreateTicketRequest } from './create-ticket'

export interface CreateCall { actor: Actor; input: CreateTicketInput }
export interface Created { detail: TicketDetail; extra: Record<string, unknown> }

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)))

/**
 * POST /api/v1/tickets under load: the creates whose requests arrived together are filed in one
 * transaction (createTickets: a handful of statements for the whole batch instead of a dozen per
 * ticket, and one commit), and answered with one read of their details. When any of them is
 * refused, the batch is rolled back and each is filed again on its own, so every caller gets the
 * answer it would have got alone: its ticket, or its own 4xx. A lone request is a batch of one.
 */
export function createTicketBatches(ctx: AppContext) {
  return tickBatcher<CreateCall, Created>(async (calls) => {
    const now = ctx.now()
    const requests: CreateTicketRequest[] = calls.map(({ actor, input }) => ({ ctx: { actor, now }, input }))
    let outcomes: Array<{ id: string } | Error>
    try {
      outcomes = await inTransaction(ctx.db, (trx) => createTickets(trx, requests))
    } catch (err) {
      if (requests.length === 1) return [asError(err)]
      outcomes = await Promise.all(requests.map((r) => inTransaction(ctx.db, (trx) => createTicket(trx, r.ctx, r.input)).catch(asError)))
    }
    const ids = outcomes.flatMap((o) => (o instanceof Error ? [] : [o.id]))
    const details = await loadTicketDetails(ctx.db, ids)
    const extras = new Map<string, Record<string, unknown>>()
    for (const [actor, actorIds] of idsByActor(calls, outcomes)) {
      for (const [id, fields] of await loadExtraTicketFields(ctx.db, actor, actorIds, now)) extras.set(id, fields)
    }
    return outcomes.map((o) => (o instanceof Error ? o : { detail: details.get(o.id)!, extra: extras.get(o.id) ?? {} }))
  }, { concurrency: 1 })
}

/** The created tickets grouped by the actor they are presented to (extra fields may depend on who looks). */
function idsByActor(calls: readonly CreateCall[], outcomes: Array<{ id: string } | Error>) {
  const groups = new Map<string, { actor: Actor; ids: string[] }>()
  calls.forEach(({ actor }, i) => {
    const o = outcomes[i]
    if (o instanceof Error) return
    const group = groups.get(actor.id) ?? { actor, ids: [] }
    group.ids.push(o.id)
    groups.set(actor.id, group)
  })
  return [...groups.values()].map((g) => [g.actor, g.ids] as const)
}
