import { SLA_MESSAGES, type SlaMessageCode } from './sla.messages'

/** One problem in an SLA input, naming the field (e.g. `calendar.hours.mon[1]`). */
export interface SlaIssue {
  field: string
  code: SlaMessageCode
  params: Record<string, string>
  message: { es: string; en: string }
}

/** Builds an issue with its es-MX and English messages filled in. */
export function slaIssue(field: string, code: SlaMessageCode, params: Record<string, string> = {}): SlaIssue {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? '')
  const texts = SLA_MESSAGES[code]
  return { field, code, params, message: { es: fill(texts.es), en: fill(texts.en) } }
}

/**
 * Bad SLA input (a 400 when it reaches HTTP). `code` is stable; `issues` name every bad field;
 * `message` is the first issue's es-MX text so logs read naturally.
 */
export class SlaInputError extends Error {
  readonly statusCode = 400
  readonly code = 'sla.invalid_input'
  constructor(readonly issues: SlaIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message.es}`).join('; '))
    this.name = 'SlaInputError'
  }
}
