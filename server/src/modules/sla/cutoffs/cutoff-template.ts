import { slaIssue, type SlaIssue } from '../sla.errors'

/** Variables a cut-off template may use: `{{ticket.number}}` … */
export const CUTOFF_VARIABLES = ['ticket.number', 'ticket.subject', 'ticket.status', 'ticket.priority', 'ticket.due_at', 'requester.name', 'cutoff.name', 'cutoff.time'] as const
export type CutoffVariable = (typeof CUTOFF_VARIABLES)[number]

const PLACEHOLDER = /\{\{\s*([a-z_.]+)\s*\}\}/g

/** Default texts of the status update a cut-off posts (es-MX, English). */
export const DEFAULT_CUTOFF_TEMPLATES = {
  es: 'Actualización de las {{cutoff.time}} sobre su ticket #{{ticket.number}} «{{ticket.subject}}»: seguimos trabajando en su solicitud. Estatus actual: {{ticket.status}}.',
  en: 'Update at {{cutoff.time}} on your ticket #{{ticket.number}} "{{ticket.subject}}": we are still working on your request. Current status: {{ticket.status}}.',
}

/** Unknown variables in a template, each an issue naming the field. */
export function checkTemplate(text: string, field: string): SlaIssue[] {
  const issues: SlaIssue[] = []
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (!CUTOFF_VARIABLES.includes(m[1] as CutoffVariable)) issues.push(slaIssue(field, 'sla.template_variable', { value: m[1], allowed: CUTOFF_VARIABLES.join(', ') }))
  }
  return issues
}

/** Fills a template (plain text; values are inserted as they are, the comment command escapes them). */
export function renderTemplate(text: string, values: Partial<Record<CutoffVariable, string>>): string {
  return text.replace(PLACEHOLDER, (_, key: string) => values[key as CutoffVariable] ?? '')
}
