import { Type } from 'typebox'
import { DateTime, StrictObject, Uuid } from '../../../platform/http/schemas'
import { CANCEL_REASONS, CHANNELS, EXTERNAL_REF_KINDS, PRIORITIES } from '../../../../../common/src/tickets/tickets.types'

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)))
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max })

export const ImportComment = StrictObject({
  externalId: Type.Optional(Text(200)),
  /** An existing user; an unknown address on a public message becomes a customer contact. */
  authorEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  authorName: Type.Optional(Text(200)),
  body: Type.Optional(Type.String({ maxLength: 100_000 })),
  bodyHtml: Type.Optional(Type.String({ maxLength: 300_000 })),
  internal: Type.Optional(Type.Boolean()),
  channel: Type.Optional(literals(CHANNELS)),
  createdAt: DateTime,
})

export const ImportHistoryEntry = StrictObject({
  at: DateTime,
  actorEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  action: Text(100),
  field: Type.Optional(Text(100)),
  oldValue: Type.Optional(Type.Unknown({ storableJson: true })),
  newValue: Type.Optional(Type.Unknown({ storableJson: true })),
  internal: Type.Optional(Type.Boolean()),
})

/** One ticket from another help desk, with its original times, conversation and history. */
export const ImportTicket = StrictObject({
  /** Its id in the other system: sending the same row again does not import it twice. */
  externalId: Type.Optional(Text(200)),
  /** Kept when free in this instance, otherwise a new number is given. */
  number: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_000_000_000_000 })),
  subject: Text(500),
  description: Type.Optional(Type.String({ maxLength: 200_000 })),
  descriptionHtml: Type.Optional(Type.String({ maxLength: 400_000 })),
  /** A type code (consulta, incidente_servicio, …); default: the admin's default type. */
  type: Type.Optional(Text(50)),
  categoryId: Type.Optional(Uuid),
  /** Category by names, e.g. "Administración › Cobranza" (› > or / between levels). */
  category: Type.Optional(Text(500)),
  priority: Type.Optional(literals(PRIORITIES)),
  /** A status code or custom status key. */
  status: Type.Optional(Text(50)),
  channel: Type.Optional(literals(CHANNELS)),
  requester: StrictObject({
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    name: Type.Optional(Text(200)),
    phone: Type.Optional(Text(50)),
  }),
  organization: Type.Optional(Text(200)),
  assigneeEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  team: Type.Optional(Text(200)),
  tags: Type.Optional(Type.Array(Text(100), { maxItems: 50 })),
  customFields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  externalRefs: Type.Optional(Type.Array(StrictObject({ kind: literals(EXTERNAL_REF_KINDS), provider: Type.Optional(Text(200)), value: Text(200) }), { maxItems: 20 })),
  thirdParty: Type.Optional(Text(200)),
  thirdPartyRef: Type.Optional(Text(200)),
  cancelReason: Type.Optional(literals(CANCEL_REASONS)),
  createdAt: DateTime,
  updatedAt: Type.Optional(DateTime),
  firstResponseAt: Type.Optional(DateTime),
  resolvedAt: Type.Optional(DateTime),
  closedAt: Type.Optional(DateTime),
  cancelledAt: Type.Optional(DateTime),
  comments: Type.Optional(Type.Array(ImportComment, { maxItems: 2000 })),
  history: Type.Optional(Type.Array(ImportHistoryEntry, { maxItems: 5000 })),
})

export const MAX_IMPORT_ROWS = 200

/** The batch: rows are validated one by one, so one bad row is reported, not the whole batch refused. */
export const ImportBody = StrictObject({
  /** The system the tickets come from (zendesk, freshdesk, osticket, …). */
  source: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' }),
  tickets: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_IMPORT_ROWS }),
})

const RowError = Type.Object({ code: Type.String(), message: Type.String(), details: Type.Unknown() })

export const ImportResponse = Type.Object({
  created: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(Type.Object({
    index: Type.Integer(),
    externalId: Type.Union([Type.String(), Type.Null()]),
    status: literals(['created', 'skipped', 'failed'] as const),
    ticketId: Type.Optional(Uuid),
    number: Type.Optional(Type.Integer()),
    /** False when the original number was taken and a new one was given. */
    numberKept: Type.Optional(Type.Boolean()),
    error: Type.Optional(RowError),
  })),
})
