import { Type, type TSchema } from 'typebox'

/** Field schemas shared by users, contacts, teams and organizations. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const PersonName = Type.String({ minLength: 1, maxLength: 200 })
export const Email = Type.String({ format: 'email', maxLength: 254 })
/** Digits with the usual separators, an optional leading + and extension: "+52 55 1234 5678 ext 12". */
export const Phone = Type.String({ minLength: 3, maxLength: 40, pattern: '^\\+?[0-9][0-9 ()./-]{1,29}( ?(ext\\.?|x) ?[0-9]{1,6})?$' })
export const Locale = Type.Union([Type.Literal('es-MX'), Type.Literal('en')])
export const TimeZone = Type.String({ minLength: 1, maxLength: 64 })
export const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')])
export const TicketScope = Type.Union([Type.Literal('all'), Type.Literal('teams'), Type.Literal('assigned')])
export const Timestamp = Type.String({ format: 'date-time' })

/** True for an IANA time zone name this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** ISO text of a timestamp column (Date on both engines), or null. */
export const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString())
