import { Type } from 'typebox'
import { DateTime, PositiveBigint, StrictObject, Uuid } from '../../../platform/http/schemas'
import { STATUS_CODES, PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { LINK_TYPES } from './link-types'

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)))

/** The other ticket: by id or by its human number. */
const Other = {
  ticketId: Type.Optional(Uuid),
  number: Type.Optional(PositiveBigint),
}

export const AddLinkBody = StrictObject({ type: literals(LINK_TYPES), ...Other })
export const MergeBody = StrictObject({ targetId: Type.Optional(Uuid), targetNumber: Type.Optional(PositiveBigint) })
export const BroadcastBody = StrictObject({
  body: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000 })),
  bodyHtml: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000 })),
})

export const LinkParams = Type.Object({ id: Uuid, linkId: Uuid }, { additionalProperties: false })

export const Link = Type.Object({
  id: Uuid,
  type: literals(LINK_TYPES),
  ticket: Type.Object({
    id: Uuid, number: Type.Integer(), subject: Type.String(), status: literals(STATUS_CODES), priority: literals(PRIORITIES),
    mergedIntoId: Type.Union([Uuid, Type.Null()]),
  }),
  createdAt: DateTime,
  createdBy: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
})
export const LinkList = Type.Object({ items: Type.Array(Link) })

const TicketRef = Type.Object({ id: Uuid, number: Type.Integer() })
export const MergeResponse = Type.Object({
  source: TicketRef, target: TicketRef, movedComments: Type.Integer(), movedAttachments: Type.Integer(), madeInternal: Type.Boolean(),
})
export const BroadcastResponse = Type.Object({
  posted: Type.Array(Type.Object({ ticketId: Uuid, number: Type.Integer(), commentId: Uuid })),
  skipped: Type.Array(Type.Object({ ticketId: Uuid, number: Type.Integer(), reason: Type.String() })),
  unseenSkipped: Type.Integer({ description: 'Linked tickets the sender may not see: skipped, not named.' }),
})
