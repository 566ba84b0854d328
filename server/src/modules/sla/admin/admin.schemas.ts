import { Type, type TSchema } from 'typebox'
import { StrictObject, Uuid } from '../../../platform/http/schemas'
import { CHANNELS } from '../../../../../common/src/tickets/tickets.types'
import {
  ESCALATION_RECIPIENTS, ESCALATION_TRIGGERS, SLA_TARGET_NAMES,
} from '../../../../../common/src/sla/sla-policy.types'
import { RESOLUTION_STARTS, SLA_PRIORITIES, SLA_STATUSES, WEEKDAYS } from '../../../../../common/src/sla/sla.types'
import { TargetsSchema } from '../sla.schemas'

// TypeBox schemas of the SLA admin API: calendars, policies, cut-offs, breaches.

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()])
const Enum = <T extends string>(values: readonly T[]) => Type.Enum([...values])
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', examples: ['09:00'] })
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2026-12-24'] })
const Ts = Type.String()

export const Hours = StrictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Type.Array(Type.Tuple([Time, Time]), { maxItems: 8 }))])))
const HolidayInput = StrictObject({ date: IsoDate, name: Type.Optional(Nullable(Type.String({ maxLength: 120 }))) })

export const CalendarBody = StrictObject({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  timezone: Type.String({ minLength: 1, maxLength: 64, examples: ['America/Mexico_City'] }),
  hours: Hours,
  holidays: Type.Optional(Type.Array(HolidayInput, { maxItems: 500 })),
  statutory: Type.Optional(Nullable(Type.Literal('MX'))),
  removedHolidays: Type.Optional(Type.Array(IsoDate, { maxItems: 500 })),
  isDefault: Type.Optional(Type.Boolean()),
})
export const CalendarPatch = StrictObject({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  hours: Type.Optional(Hours),
  holidays: Type.Optional(Type.Array(HolidayInput, { maxItems: 500 })),
  statutory: Type.Optional(Nullable(Type.Literal('MX'))),
  removedHolidays: Type.Optional(Type.Array(IsoDate, { maxItems: 500 })),
  isDefault: Type.Optional(Type.Literal(true)),
})
export const HolidayBody = HolidayInput
export const HolidayParams = StrictObject({ id: Uuid, date: IsoDate })
export const YearQuery = StrictObject({ year: Type.Optional(Type.Integer({ minimum: 1970, maximum: 2200 })) })

export const Calendar = Type.Object({
  id: Uuid,
  name: Type.String(),
  builtin: Nullable(Type.String()),
  isDefault: Type.Boolean(),
  timezone: Type.String(),
  hours: Type.Record(Type.String(), Type.Array(Type.Array(Type.String()))),
  statutory: Nullable(Type.String()),
  removedHolidays: Type.Array(Type.String()),
  /** The closed dates of the requested year (default: this year and the next). */
  holidays: Type.Array(Type.Object({ date: Type.String(), name: Nullable(Type.String()), source: Type.Union([Type.Literal('statutory'), Type.Literal('custom')]) })),
  weeklyMinutes: Type.Integer(),
  createdAt: Ts,
  updatedAt: Ts,
})

export const Conditions = StrictObject({
  types: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 })),
  categoryIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
  priorities: Type.Optional(Type.Array(Enum(SLA_PRIORITIES), { maxItems: 4 })),
  organizationIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
  tiers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
  channels: Type.Optional(Type.Array(Enum(CHANNELS), { maxItems: 8 })),
})
export const PolicyTargets = StrictObject(Object.fromEntries(SLA_PRIORITIES.map((p) => [p, Type.Optional(TargetsSchema)])))

export const EscalationAction = Type.Union([
  StrictObject({ type: Type.Literal('notify'), recipients: Type.Array(Enum(ESCALATION_RECIPIENTS), { minItems: 1, maxItems: 3 }) }),
  StrictObject({ type: Type.Literal('raise_priority') }),
  StrictObject({ type: Type.Literal('move'), teamId: Type.Optional(Nullable(Uuid)), level: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9 }))) }),
])
export const EscalationRule = StrictObject({
  on: Enum(ESCALATION_TRIGGERS),
  targets: Type.Optional(Type.Array(Enum(SLA_TARGET_NAMES), { maxItems: 3 })),
  actions: Type.Array(EscalationAction, { minItems: 1, maxItems: 10 }),
})

const policyFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  active: Type.Optional(Type.Boolean()),
  conditions: Type.Optional(Conditions),
  targets: PolicyTargets,
  calendar: Type.Optional(Enum(['business', '24x7'] as const)),
  calendarId: Type.Optional(Nullable(Uuid)),
  pauseOnHold: Type.Optional(Type.Boolean()),
  resolutionStart: Type.Optional(Enum(RESOLUTION_STARTS)),
  warningPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  escalations: Type.Optional(Type.Array(EscalationRule, { maxItems: 20 })),
}
export const PolicyBody = StrictObject(policyFields)
export const PolicyPatch = StrictObject({ ...Object.fromEntries(Object.entries(policyFields).map(([k, v]) => [k, Type.Optional(v)])) })
export const PolicyOrderBody = StrictObject({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000 }) })

export const Policy = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  position: Type.Integer(),
  active: Type.Boolean(),
  conditions: Type.Record(Type.String(), Type.Unknown()),
  targets: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
  calendar: Type.String(),
  calendarId: Nullable(Type.String()),
  pauseOnHold: Type.Boolean(),
  resolutionStart: Type.String(),
  warningPercent: Type.Integer(),
  escalations: Type.Array(Type.Unknown()),
  presetKey: Nullable(Type.String()),
  createdAt: Ts,
  updatedAt: Ts,
})

export const ExampleSetResult = Type.Object({
  preset: Type.String(),
  categoriesCreated: Type.Integer(),
  policiesCreated: Type.Integer(),
  policiesKept: Type.Integer(),
  cutoffsCreated: Type.Integer(),
})

/** The ticket filter a cut-off acts on: a subset of GET /api/v1/tickets filters. */
export const CutoffFilter = StrictObject({
  categoryId: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  type: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
  priority: Type.Optional(Type.Array(Enum(SLA_PRIORITIES), { maxItems: 4 })),
  statusCategory: Type.Optional(Type.Array(Enum(SLA_STATUSES), { maxItems: 7 })),
  teamId: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  organizationId: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  channel: Type.Optional(Type.Array(Enum(CHANNELS), { maxItems: 8 })),
  tag: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
})

const cutoffFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  calendarId: Type.Optional(Nullable(Uuid)),
  days: Type.Array(Enum(WEEKDAYS), { minItems: 1, maxItems: 7 }),
  times: Type.Array(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', examples: ['13:00'] }), { minItems: 1, maxItems: 24 }),
  filter: Type.Optional(CutoffFilter),
  action: Type.Optional(Enum(['public_update', 'internal_note', 'none'] as const)),
  templateEs: Type.Optional(Type.String({ maxLength: 5000 })),
  templateEn: Type.Optional(Type.String({ maxLength: 5000 })),
  remindAssignee: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
}
export const CutoffBody = StrictObject(cutoffFields)
export const CutoffPatch = StrictObject({ ...Object.fromEntries(Object.entries(cutoffFields).map(([k, v]) => [k, Type.Optional(v)])) })

export const Cutoff = Type.Object({
  id: Uuid,
  name: Type.String(),
  calendarId: Nullable(Type.String()),
  timezone: Type.String(),
  days: Type.Array(Type.String()),
  times: Type.Array(Type.String()),
  filter: Type.Record(Type.String(), Type.Unknown()),
  action: Type.String(),
  templateEs: Type.String(),
  templateEn: Type.String(),
  remindAssignee: Type.Boolean(),
  active: Type.Boolean(),
  nextRunAt: Nullable(Ts),
  createdAt: Ts,
  updatedAt: Ts,
})

export const DueItem = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  assignee: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  nextDueAt: Nullable(Ts),
  overdue: Type.Boolean(),
})
export const DueList = Type.Object({ cutoff: Type.Object({ id: Uuid, name: Type.String() }), nextCutoffAt: Nullable(Ts), items: Type.Array(DueItem) })

export const BreachQuery = StrictObject({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  target: Type.Optional(Enum(SLA_TARGET_NAMES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
})
export const Breach = Type.Object({
  ticketId: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  target: Type.String(),
  cycle: Type.Integer(),
  policy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  priority: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  assigneeId: Nullable(Uuid),
  targetMinutes: Type.Integer(),
  dueAt: Ts,
  breachedAt: Ts,
  metAt: Nullable(Ts),
})
