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
 * ticket, and one commit). One batch is filed at a time; the creates that arrive meanwhile form
 * the next one, which starts while the previous batch's answers are read (one statement for them
 * all). When any create of a batch is refused, the batch is rolled back and each is filed again on
 * its own, so every caller gets the answer it would have got alone: its ticket, or its own 4xx.
 * When the commit itself fails, every caller of the batch gets that error (as each would have
 * alone); nothing is retried that may have been filed. A lone request is a batch of one.
 */
export function createTicketBatches(ctx: AppContext) {
  // A batch shares one `now`: its tickets are created at the same moment (and their SLA computed once).
  const files = tickBatcher<CreateCall, { id: string; now: Date }>(async (calls) => {
    const now = ctx.now()
    const requests: CreateTicketRequest[] = calls.map(({ actor, input }) => ({ ctx: { actor, now }, input }))
    const filed = (t: { id: string }) => ({ id: t.id, now })
    let refused = false
    try {
      return (await inTransaction(ctx.db, async (trx) => {
        try {
          return await createTickets(trx, requests)
        } catch (err) {
          refused = true
          throw err
        }
      })).map(filed)
    } catch (err) {
      // A failed commit or connection may or may not have filed the batch: never file it twice.
      if (!refused || requests.length === 1) return requests.map(() => asError(err))
      return Promise.all(requests.map((r) => inTransaction(ctx.db, (trx) => createTicket(trx, r.ctx, r.input)).then(filed, asError)))
    }
  }, { concurrency: 1 })
  const answers = tickBatcher<{ actor: Actor; id: string; now: Date }, Created>(async (keys) => {
    const details = await loadTicketDetails(ctx.db, keys.map((k) => k.id))
    const extras = new Map<string, Record<string, unknown>>()
    for (const { actor, ids, now } of byActor(keys)) {
      for (const [id, fields] of await loadExtraTicketFields(ctx.db, actor, ids, now)) extras.set(id, fields)
    }
    return keys.map((k) => ({ detail: details.get(k.id)!, extra: extras.get(k.id) ?? {} }))
  })
  return {
    /** Files the ticket with the others that arrive together and answers it as its caller sees it. */
    async create(call: CreateCall): Promise<Created> {
      const { id, now } = await files.load(call)
      return answers.load({ actor: call.actor, id, now })
    },
  }
}

/** Ticket ids grouped by the actor they are presented to (extra fields may depend on who looks) and their batch's moment. */
function byActor(keys: ReadonlyArray<{ actor: Actor; id: string; now: Date }>) {
  const groups = new Map<string, { actor: Actor; ids: string[]; now: Date }>()
  for (const { actor, id, now } of keys) {
    const key = `${actor.id} ${now.getTime()}`
    const group = groups.get(key) ?? { actor, ids: [], now }
    group.ids.push(id)
    groups.set(key, group)
  }
  return [...groups.values()]
}
