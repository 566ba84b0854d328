import type { CustomField } from '../tickets/api/config.api'

/** Keys of the custom field that holds "steps tried" when an admin has defined one. */
export const STEPS_FIELD_KEYS = ['steps_tried', 'pasos_realizados']

/** The chosen type's own "steps tried" field, if it has one (another type's is unknown to the server: 400). */
export function stepsFieldOf(typeFields: CustomField[]): CustomField | undefined {
  return typeFields.find((f) => STEPS_FIELD_KEYS.includes(f.key))
}

/**
 * The custom field values a call sends, and checks for required ones: the form's values of the
 * chosen type's fields only (a value typed before the type changed would be refused), plus the
 * "steps tried" box in the type's steps field when it has one.
 */
export function callFieldValues(typeFields: CustomField[], custom: Record<string, unknown>, steps: string): Record<string, unknown> {
  const keys = new Set(typeFields.map((f) => f.key))
  const values = Object.fromEntries(Object.entries(custom).filter(([k]) => keys.has(k)))
  const stepsField = stepsFieldOf(typeFields)
  if (stepsField && steps.trim()) values[stepsField.key] = steps.trim()
  return values
}
