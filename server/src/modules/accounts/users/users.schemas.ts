import { Type } from 'typebox'
import { StrictObject, Uuid } from '../../../platform/http/schemas'
import { PageQuery } from '../../../platform/http/cursor'
import { Email, Locale, Nullable, PersonName, Phone, RoleSchema, TicketScope, TimeZone } from '../accounts.schemas'

const Password = Type.String({ minLength: 1, maxLength: 200 })
const TeamIds = Type.Array(Uuid, { maxItems: 50, uniqueItems: true })

export const CreateUserBody = StrictObject({
  email: Email,
  name: PersonName,
  role: RoleSchema,
  password: Type.Optional(Password),
  invite: Type.Optional(Type.Boolean()),
  organizationId: Type.Optional(Nullable(Uuid)),
  siteId: Type.Optional(Nullable(Uuid)),
  orgManager: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Nullable(Phone)),
  locale: Type.Optional(Locale),
  timezone: Type.Optional(TimeZone),
  teamIds: Type.Optional(TeamIds),
  ticketScope: Type.Optional(TicketScope),
}, { description: 'Give either an initial password or "invite": true (an emailed link to set it).' })

export const UpdateUserBody = StrictObject({
  name: Type.Optional(PersonName),
  email: Type.Optional(Nullable(Email)),
  role: Type.Optional(RoleSchema),
  active: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Nullable(Phone)),
  locale: Type.Optional(Locale),
  timezone: Type.Optional(TimeZone),
  organizationId: Type.Optional(Nullable(Uuid)),
  siteId: Type.Optional(Nullable(Uuid)),
  orgManager: Type.Optional(Type.Boolean()),
  ticketScope: Type.Optional(TicketScope),
  teamIds: Type.Optional(TeamIds),
})

export const ListUsersQuery = StrictObject({
  role: Type.Optional(Type.Array(RoleSchema, { maxItems: 4 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  active: Type.Optional(Type.Boolean()),
  team: Type.Optional(Uuid),
  organization: Type.Optional(Uuid),
  ...PageQuery,
})
