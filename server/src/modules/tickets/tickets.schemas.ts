import { Type, type TSchema } from 'typebox'
import { DateTime, PositiveBigint, StrictObject, Uuid } from '../../platform/http/schemas'
import { TicketSlaSchema } from '../sla/live/ticket-sla.schemas'
import { SLA_LIST_FILTERS } from '../../../../common/src/sla/sla.types'
import {
  CANCEL_REASONS, CHANNELS, EXTERNAL_REF_KINDS, PRIORITIES, STATUS_CODES, TICKET_SORTS,
} from '../../../../common/src/tickets/tickets.types'

// TypeBox schemas of the tickets API: requests reject unknown fields; responses filter output.

export const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()])
export const Priority = Type.Enum([...PRIORITIES])
export const Channel = Type.Enum([...CHANNELS])
export const StatusCode = Type.Enum([...STATUS_CODES])
export const CancelReason = Type.Enum([...CANCEL_REASONS])
const Key = Type.String({ minLength: 1, maxLength: 50 })
const Tag = Type.String({ minLength: 1, maxLength: 50 })
const CustomFieldValues = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }), Type.Unknown())

export const ExternalRefInput = StrictObject({
  kind: Type.Enum([...EXTERNAL_REF_KINDS]),
  provider: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  value: Type.String({ minLength: 1, maxLength: 200 }),
})

export const StatusChange = StrictObject({
  status: Key,
  cancelReason: Type.Optional(Nullable(CancelReason)),
  cancelNote: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  duplicateOfId: Type.Optional(Nullable(Uuid)),
  thirdParty: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  thirdPartyRef: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
})

export const CreateTicketBody = StrictObject({
  subject: Type.String({ minLength: 1, maxLength: 300 }),
  description: Type.Optional(Type.String({ maxLength: 100_000 })),
  descriptionHtml: Type.Optional(Type.String({ maxLength: 300_000 })),
  type: Type.Optional(Key),
  categoryId: Type.Optional(Nullable(Uuid)),
  priority: Type.Optional(Priority),
  channel: Type.Optional(Channel),
  requesterId: Type.Optional(Uuid),
  requester: Type.Optional(StrictObject({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    phone: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 40 }))),
    organizationId: Type.Optional(Nullable(Uuid)),
  })),
  organizationId: Type.Optional(Nullable(Uuid)),
  siteId: Type.Optional(Nullable(Uuid)),
  assigneeId: Type.Optional(Nullable(Uuid)),
  teamId: Type.Optional(Nullable(Uuid)),
  supportLevel: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9 }))),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  watcherIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  customFields: Type.Optional(CustomFieldValues),
  externalRefs: Type.Optional(Type.Array(ExternalRefInput, { maxItems: 20 })),
  callId: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Key),
  /** Files staged with POST /api/v1/attachments by the same user; they go with the description. */
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, description: 'Ids de POST /api/v1/attachments subidos por quien crea el ticket; van con la descripción. 404 si alguno no existe, caducó, ya se usó o es de otra persona.' })),
})

export const UpdateTicketBody = StrictObject({
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  description: Type.Optional(Type.String({ maxLength: 100_000 })),
  descriptionHtml: Type.Optional(Type.String({ maxLength: 300_000 })),
  type: Type.Optional(Key),
  categoryId: Type.Optional(Nullable(Uuid)),
  priority: Type.Optional(Priority),
  requesterId: Type.Optional(Uuid),
  organizationId: Type.Optional(Nullable(Uuid)),
  siteId: Type.Optional(Nullable(Uuid)),
  assigneeId: Type.Optional(Nullable(Uuid)),
  teamId: Type.Optional(Nullable(Uuid)),
  supportLevel: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9 }))),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  addTags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  removeTags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  watcherIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  addWatcherIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  removeWatcherIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  customFields: Type.Optional(CustomFieldValues),
  addExternalRefs: Type.Optional(Type.Array(ExternalRefInput, { maxItems: 20 })),
  removeExternalRefs: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
  status: Type.Optional(Key),
  cancelReason: Type.Optional(Nullable(CancelReason)),
  cancelNote: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  duplicateOfId: Type.Optional(Nullable(Uuid)),
  thirdParty: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  thirdPartyRef: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
})

export const AddCommentBody = StrictObject({
  body: Type.Optional(Type.String({ maxLength: 100_000 })),
  bodyHtml: Type.Optional(Type.String({ maxLength: 300_000 })),
  internal: Type.Optional(Type.Boolean()),
  channel: Type.Optional(Channel),
  mentions: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, description: 'Ids de POST /api/v1/tickets/:id/attachments subidos por quien comenta. Si el ticket está cerrado o cancelado (la respuesta abre un seguimiento), ids de POST /api/v1/attachments: van al seguimiento.' })),
  status: Type.Optional(StatusChange),
})

export const AddCallBody = StrictObject({
  callId: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  direction: Type.Optional(Type.Enum(['inbound', 'outbound'])),
  note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
})

export const BulkBody = StrictObject({
  ids: Type.Array(Uuid, { minItems: 1, maxItems: 200 }),
  changes: UpdateTicketBody,
})

const Multi = Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }))
/** Query of GET /api/v1/tickets and /counts: the filters of issue 3 §8 plus search, sort and paging. */
export const ListQuery = StrictObject({
  status: Multi, statusCategory: Multi, type: Multi, categoryId: Multi, priority: Multi, assignee: Multi, teamId: Multi,
  organizationId: Multi, requesterId: Multi, channel: Multi, tag: Multi, cf: Multi,
  externalRef: Type.Optional(Type.String({ maxLength: 200 })),
  createdFrom: Type.Optional(DateTime), createdTo: Type.Optional(DateTime),
  updatedFrom: Type.Optional(DateTime), updatedTo: Type.Optional(DateTime),
  resolvedFrom: Type.Optional(DateTime), resolvedTo: Type.Optional(DateTime),
  followUpOfId: Type.Optional(Uuid),
  sla: Type.Optional(Type.Array(Type.Enum([...SLA_LIST_FILTERS]), { maxItems: 3 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  view: Type.Optional(Uuid),
  sort: Type.Optional(Type.Enum([...TICKET_SORTS])),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
})
const { sort: _sort, cursor: _cursor, limit: _limit, ...countsProps } = ListQuery.properties
/** Query of GET /api/v1/tickets/counts: the list's filters, search and view; no order or paging. */
export const CountsQuery = StrictObject(countsProps)

export const PageQuery = StrictObject({
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
})

const Ref = Type.Object({ id: Uuid, name: Type.String() })
const Site = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() })
const CustomStatus = Type.Object({ id: Uuid, key: Type.String(), label: Type.String() })
const Abilities = Type.Object({
  update: Type.Boolean(), assign: Type.Boolean(), comment: Type.Boolean(), commentInternal: Type.Boolean(), changeStatus: Type.Boolean(),
  reopen: Type.Boolean(), close: Type.Boolean(), cancel: Type.Boolean(), addCall: Type.Boolean(), link: Type.Boolean(), merge: Type.Boolean(),
  attach: Type.Boolean(), viewInternal: Type.Boolean(),
})
const Ts = Nullable(Type.String())

export const Ticket = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  description: Type.String(),
  descriptionHtml: Type.String(),
  status: StatusCode,
  customStatus: CustomStatus,
  priority: Priority,
  channel: Channel,
  type: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  category: Nullable(Type.Object({ id: Uuid, name: Type.String(), path: Type.Array(Ref) })),
  requester: Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()) }),
  organization: Nullable(Ref),
  site: Nullable(Site),
  assignee: Nullable(Ref),
  customFields: Type.Record(Type.String(), Type.Unknown()),
  cancelReason: Nullable(CancelReason),
  cancelNote: Nullable(Type.String()),
  duplicateOfId: Nullable(Uuid),
  mergedIntoId: Nullable(Uuid),
  followUpOfId: Nullable(Uuid),
  /** The closed ticket this one follows up (when the viewer may see it), with its number for a link. */
  followUpOf: Nullable(Type.Object({ id: Uuid, number: Type.Integer() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  statusChangedAt: Ts,
  resolvedAt: Ts,
  closedAt: Ts,
  cancelledAt: Ts,
  abilities: Abilities,
  allowedStatuses: Type.Array(StatusCode),
  // Staff only:
  team: Type.Optional(Nullable(Ref)),
  supportLevel: Type.Optional(Nullable(Type.Integer())),
  tags: Type.Optional(Type.Array(Type.String())),
  /** Who gets the public replies by email besides the requester (CC of the mail, or added by staff). Staff only. */
  watchers: Type.Optional(Type.Array(Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()) }))),
  externalRefs: Type.Optional(Type.Array(Type.Object({ id: Uuid, kind: Type.String(), provider: Nullable(Type.String()), value: Type.String() }))),
  thirdParty: Type.Optional(Nullable(Type.String())),
  thirdPartyRef: Type.Optional(Nullable(Type.String())),
  callCount: Type.Optional(Type.Integer()),
  reopenCount: Type.Optional(Type.Integer()),
  firstResponseAt: Type.Optional(Ts),
  createdById: Type.Optional(Nullable(Uuid)),
  // Staff only, from the SLA module (tickets.extensions registerTicketFieldsLoader):
  sla: Type.Optional(Nullable(TicketSlaSchema)),
})

export const TicketListItem = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: StatusCode,
  customStatus: CustomStatus,
  priority: Priority,
  channel: Channel,
  type: Type.Object({ code: Type.String(), name: Type.String() }),
  category: Nullable(Ref),
  requester: Ref,
  organization: Nullable(Ref),
  site: Nullable(Site),
  assignee: Nullable(Ref),
  /** The values the viewer may see (customers: customer-visible fields only). */
  customFields: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  resolvedAt: Ts,
  snippet: Type.Optional(Nullable(Type.String())),
  team: Type.Optional(Nullable(Ref)),
  tags: Type.Optional(Type.Array(Type.String())),
  callCount: Type.Optional(Type.Integer()),
  sla: Type.Optional(Nullable(TicketSlaSchema)),
})

export const TicketList = Type.Object({
  items: Type.Array(TicketListItem),
  nextCursor: Nullable(Type.String()),
  exactMatch: Nullable(Type.Object({ id: Uuid, number: Type.Integer() })),
})

export const TicketCounts = Type.Object({
  total: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  byCustomStatus: Type.Array(Type.Object({ id: Uuid, key: Type.String(), status: StatusCode, label: Type.String(), count: Type.Integer() })),
})

export const Comment = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  author: Nullable(Type.Object({ id: Uuid, name: Type.String(), role: Type.String() })),
  internal: Type.Boolean(),
  channel: Type.String(),
  body: Type.String(),
  bodyHtml: Type.String(),
  mentions: Type.Optional(Type.Array(Uuid)),
  createdAt: Type.String(),
  attachments: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
})

export const CommentList = Type.Object({ items: Type.Array(Comment), nextCursor: Nullable(Type.String()) })

export const AddCommentResponse = Type.Object({
  comment: Nullable(Comment),
  followUpTicket: Nullable(Type.Object({ id: Uuid, number: Type.Integer() })),
})

export const HistoryItem = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Nullable(Ref),
  via: Type.String(),
  viaTokenId: Type.Optional(Nullable(Type.String())),
  internal: Type.Optional(Type.Boolean()),
  action: Type.String(),
  field: Nullable(Type.String()),
  oldValue: Type.Unknown(),
  newValue: Type.Unknown(),
})

export const HistoryList = Type.Object({ items: Type.Array(HistoryItem), nextCursor: Nullable(Type.String()) })

export const BulkResponse = Type.Object({
  results: Type.Array(Type.Object({
    id: Uuid,
    ok: Type.Boolean(),
    changed: Type.Optional(Type.Array(Type.String())),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  })),
})

export const NumberParams = StrictObject({ number: PositiveBigint })
