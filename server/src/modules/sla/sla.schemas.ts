import { Type, type Static } from 'typebox'
import {
  RESOLUTION_STARTS,
  SLA_PRIORITIES,
  SLA_STATUSES,
  SLA_TARGET_STATES,
  WEEKDAYS,
} from '../../../../common/src/sla/sla.types'
import { SLA_EVENT_TYPES } from './clock/clock.types'

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))
/** A target in business minutes: at most 525,600 (a year's worth), so a due time always falls within the calendar's reach. */
const Minutes = Type.Integer({ minimum: 1, maximum: 525_600 })
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', examples: ['09:00'] })
const Instant = Type.String({ description: 'ISO-8601; without an offset it is read in the calendar zone' })

/** A business calendar in a request body. */
export const CalendarSchema = Type.Object(
  {
    timezone: Type.String({ examples: ['America/Mexico_City'] }),
    hours: Type.Object(
      Object.fromEntries(WEEKDAYS.map((day) => [day, Type.Optional(Type.Array(Type.Tuple([Time, Time])))])),
      { additionalProperties: false },
    ),
    holidays: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }))),
  },
  { additionalProperties: false },
)

export const TargetsSchema = Type.Object(
  {
    firstResponseMinutes: Type.Optional(Minutes),
    nextResponseMinutes: Type.Optional(Minutes),
    resolutionMinutes: Type.Optional(Minutes),
  },
  { additionalProperties: false },
)

export const SimulateEventSchema = Type.Object(
  {
    at: Instant,
    type: literals(SLA_EVENT_TYPES),
    status: Type.Optional(literals(SLA_STATUSES)),
    by: Type.Optional(literals(['agent', 'customer', 'system'])),
    internal: Type.Optional(Type.Boolean()),
    targets: Type.Optional(TargetsSchema),
  },
  { additionalProperties: false },
)

/**
 * Body of `POST /api/v1/sla/simulate`. Cross-field rules (calendar xor calendarId, targets xor
 * policyId, event order, calendar validity) are checked by `simulate()`, which names the field.
 */
export const SimulateBodySchema = Type.Object(
  {
    calendar: Type.Optional(CalendarSchema),
    calendarId: Type.Optional(Type.String()),
    targets: Type.Optional(TargetsSchema),
    policyId: Type.Optional(Type.String()),
    priority: Type.Optional(literals(SLA_PRIORITIES)),
    pauseOnHold: Type.Optional(Type.Boolean()),
    resolutionStart: Type.Optional(literals(RESOLUTION_STARTS)),
    warningPercent: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
    events: Type.Array(SimulateEventSchema, { minItems: 1 }),
    now: Type.Optional(Instant),
  },
  { additionalProperties: false },
)
export type SimulateBody = Static<typeof SimulateBodySchema>

const NullableInstant = Type.Union([Type.String(), Type.Null()])

export const TargetViewSchema = Type.Object({
  state: literals(SLA_TARGET_STATES),
  dueAt: NullableInstant,
  metAt: NullableInstant,
  breachedAt: NullableInstant,
  elapsedMinutes: Type.Integer(),
  remainingMinutes: Type.Integer(),
})

/** Response of `POST /api/v1/sla/simulate`. */
export const SimulateResponseSchema = Type.Object({
  firstResponse: Type.Union([TargetViewSchema, Type.Null()]),
  resolution: Type.Union([TargetViewSchema, Type.Null()]),
  nextResponse: Type.Optional(Type.Union([TargetViewSchema, Type.Null()])),
})
export type SimulateResponse = Static<typeof SimulateResponseSchema>
