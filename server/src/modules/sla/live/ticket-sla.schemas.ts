import { Type } from 'typebox'
import { SLA_TARGET_STATES } from '../../../../../common/src/sla/sla.types'

const Instant = Type.Union([Type.String({ description: 'ISO-8601 with the calendar zone offset' }), Type.Null()])

/** One target of a live ticket (TicketSlaTargetView), as of the request. */
export const TicketSlaTargetSchema = Type.Object({
  state: Type.Union(SLA_TARGET_STATES.map((s) => Type.Literal(s))),
  dueAt: Instant,
  metAt: Instant,
  breachedAt: Instant,
  warningAt: Instant,
  warning: Type.Boolean(),
  targetMinutes: Type.Integer(),
  elapsedMinutes: Type.Integer(),
  remainingMinutes: Type.Integer({ description: 'Negative once overdue' }),
  cycle: Type.Optional(Type.Integer({ minimum: 1 })),
})

/** `sla` of a ticket in the tickets API (staff only): policy in force and its three targets. */
export const TicketSlaSchema = Type.Object({
  policy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  nextDueAt: Instant,
  firstResponse: Type.Union([TicketSlaTargetSchema, Type.Null()]),
  nextResponse: Type.Union([TicketSlaTargetSchema, Type.Null()]),
  resolution: Type.Union([TicketSlaTargetSchema, Type.Null()]),
})
