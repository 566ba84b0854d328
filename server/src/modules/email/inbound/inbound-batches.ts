import type { AppContext } from '../../../platform/context'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { tickBatcher } from '../../../platform/db/tick-batcher'
import { applyNewRequests, type ApplyInput } from './apply-inbound'
import { applyInput, claimAll, claimLookups, fileInbound, findReceivedIn, outcomeOf, recordApplied } from './file-inbound'
import type { InboundOutcome, PreparedInbound } from './receive-inbound'

export interface InboundBatches {
  /** Files a plain new request with the others that arrive together; answers after the commit. */
  file(p: PreparedInbound): Promise<InboundOutcome>
}

const batchesByContext = new WeakMap<AppContext, InboundBatches>()

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)))

/**
 * Plain new requests (apply-inbound.ts, isPlainNewRequest) that arrive together are filed together,
 * as API creates are (tickets/commands/create-batches.ts): one transaction claims each message
 * and creates all their tickets with createTickets' shared statements, and one commit answers
 * every sender (the SMTP receiver's 250 still comes only after it). One batch is filed at a time;
 * the messages that arrive meanwhile form the next one. When the batch fails for any reason it is
 * rolled back and each message is filed on its own (fileInbound), which records a message that
 * cannot be applied as `failed`: claims are idempotent, so a message the batch did file (a commit
 * that succeeded but was not confirmed) is then answered as the duplicate it is. A second copy of
 * a message within one batch is filed after it, and so answered as a duplicate too.
 */
export function inboundBatches(ctx: AppContext): InboundBatches {
  let batches = batchesByContext.get(ctx)
  if (!batches) {
    batches = newInboundBatches(ctx)
    batchesByContext.set(ctx, batches)
  }
  return batches
}

function newInboundBatches(ctx: AppContext): InboundBatches {
  const files = tickBatcher<PreparedInbound, InboundOutcome>(async (items) => {
    const seen = new Set<string>()
    const first: number[] = []
    const copies: number[] = []
    for (const [i, p] of items.entries()) {
      const key = `${p.delivery.mailbox.id} ${p.messageKey}`
      if (seen.has(key)) copies.push(i)
      else {
        seen.add(key)
        first.push(i)
      }
    }
    const answers: Array<InboundOutcome | Error> = []
    const batch = first.map((i) => items[i])
    try {
      const outcomes = await inTransaction(ctx.db, (trx) => fileTogether(trx, batch, ctx.now()))
      first.forEach((i, k) => (answers[i] = outcomes[k]))
    } catch (err) {
      if (batch.length > 1) ctx.log?.warn({ err, messages: batch.length }, 'inbound batch failed; filing its messages one by one')
      const outcomes = await Promise.all(batch.map((p) => fileInbound(ctx, p).catch(asError)))
      first.forEach((i, k) => (answers[i] = outcomes[k]))
    }
    for (const i of copies) answers[i] = await fileInbound(ctx, items[i]).catch(asError)
    return answers
  }, { concurrency: 1 })
  return { file: (p) => files.load(p) }
}

/** Claims the messages (a re-delivery answers what its first delivery did) and applies the claimed ones together. */
async function fileTogether(trx: Trx, batch: readonly PreparedInbound[], now: Date): Promise<InboundOutcome[]> {
  const outcomes: InboundOutcome[] = []
  const claimed: Array<{ index: number; input: ApplyInput }> = []
  const rows = await claimAll(trx, batch.map((p) => ({ p, lookups: claimLookups(p) })))
  for (const [index, p] of batch.entries()) {
    const row = rows[index]
    if (row) claimed.push({ index, input: applyInput(p, row) })
    else outcomes[index] = { ...(await findReceivedIn(trx, p.delivery.mailbox.id, p.messageKey))!, duplicate: true }
  }
  if (claimed.length === 0) return outcomes
  const applied = await applyNewRequests(trx, claimed.map((c) => c.input), now)
  await recordApplied(trx, claimed.map((c, k) => ({ id: c.input.inboundId, applied: applied[k] })))
  claimed.forEach((c, k) => (outcomes[c.index] = outcomeOf(c.input.inboundId, applied[k])))
  return outcomes
}
