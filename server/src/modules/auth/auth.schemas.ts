import { Type } from 'typebox'
import { StrictObject, Uuid } from '../../platform/http/schemas'

export const Email = Type.String({ format: 'email', maxLength: 254 })
export const Password = Type.String({ minLength: 1, maxLength: 200 })
export const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')])

export const LoginBody = StrictObject({ email: Email, password: Password })

/** The signed-in user as they see themselves, with what they may do. */
export const Me = Type.Object({
  id: Uuid,
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  role: RoleSchema,
  locale: Type.String(),
  timezone: Type.String(),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  orgManager: Type.Boolean(),
  teamIds: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
})

export const LoginResponse = Type.Object({ user: Me, csrfToken: Type.String(), expiresAt: Type.String() })
export const SessionResponse = Type.Object({ user: Me, csrfToken: Type.Union([Type.String(), Type.Null()]) })

export const UpdateMeBody = StrictObject({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  locale: Type.Optional(Type.Union([Type.Literal('es-MX'), Type.Literal('en')])),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})

export const ChangePasswordBody = StrictObject({ currentPassword: Password, newPassword: Password })
export const ResetRequestBody = StrictObject({ email: Email })
export const SetPasswordBody = StrictObject({ token: Type.String({ minLength: 10, maxLength: 200 }), password: Password })
export const SetupBody = StrictObject({ token: Type.String({ minLength: 10, maxLength: 200 }), email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), password: Password })
