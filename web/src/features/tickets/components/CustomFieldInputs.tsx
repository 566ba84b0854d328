import { useTranslation } from 'react-i18next'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { labelOf, type CustomField } from '../api/config.api'

/** The custom fields that apply to a ticket type (no typeIds = every type), in admin order. */
export function fieldsForType(all: CustomField[], typeId: string | undefined, customer = false): CustomField[] {
  return all
    .filter((f) => f.active !== false && (!f.typeIds?.length || (typeId && f.typeIds.includes(typeId))))
    .filter((f) => !customer || (f.customerVisible && f.customerEditable))
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
}

/** Missing required values, as field labels (the server validates again). */
export function missingRequired(fields: CustomField[], values: Record<string, unknown>, lang: string): string[] {
  return fields.filter((f) => f.required).filter((f) => {
    const v = values[f.key]
    // A required checkbox is answered only by ticking it (as the server checks).
    return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (f.kind === 'checkbox' && v !== true)
  }).map((f) => labelOf(f, lang))
}

/** Inputs for custom fields by kind: text, long text, number, date, select, multi-select, checkbox, user, site. */
export function CustomFieldInputs({ fields, values, onChange, users = [] }: {
  fields: CustomField[]; values: Record<string, unknown>; onChange: (key: string, v: unknown) => void; users?: Array<{ id: string; name: string }>
}) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const optLabel = (o: { labelEs: string; labelEn: string }) => (lang.startsWith('en') ? o.labelEn : o.labelEs)
  return (
    <>
      {fields.map((f) => {
        const label = labelOf(f, lang)
        const v = values[f.key]
        const common = { label, required: f.required, hint: f.description ?? undefined, name: `cf-${f.key}` }
        switch (f.kind) {
          case 'long_text':
            return <TextArea key={f.id} {...common} value={typeof v === 'string' ? v : ''} onChange={(e) => onChange(f.key, e.target.value)} />
          case 'number':
            return <TextField key={f.id} {...common} type="number" inputMode="decimal" value={v === undefined || v === null ? '' : String(v)} onChange={(e) => onChange(f.key, e.target.value === '' ? null : Number(e.target.value))} />
          case 'date':
            return <TextField key={f.id} {...common} type="date" value={typeof v === 'string' ? v : ''} onChange={(e) => onChange(f.key, e.target.value || null)} />
          case 'select':
            return (
              <SelectField key={f.id} {...common} value={typeof v === 'string' ? v : ''} onChange={(e) => onChange(f.key, e.target.value || null)}>
                <option value="">—</option>
                {(f.options ?? []).map((o) => <option key={o.value} value={o.value}>{optLabel(o)}</option>)}
              </SelectField>
            )
          case 'multi_select': {
            const arr = Array.isArray(v) ? (v as string[]) : []
            return (
              <fieldset key={f.id} className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
                <legend style={{ fontWeight: 600, fontSize: '.9rem' }}>{label}{f.required ? <span className="req" aria-hidden="true"> *</span> : null}</legend>
                {(f.options ?? []).map((o) => (
                  <label key={o.value} className="inline-label">
                    <input type="checkbox" checked={arr.includes(o.value)} onChange={(e) => onChange(f.key, e.target.checked ? [...arr, o.value] : arr.filter((x) => x !== o.value))} />
                    {optLabel(o)}
                  </label>
                ))}
              </fieldset>
            )
          }
          case 'checkbox':
            return (
              <label key={f.id} className="inline-label">
                <input type="checkbox" name={common.name} checked={v === true} onChange={(e) => onChange(f.key, e.target.checked)} />
                {label}
              </label>
            )
          case 'user':
            return (
              <SelectField key={f.id} {...common} value={typeof v === 'string' ? v : ''} onChange={(e) => onChange(f.key, e.target.value || null)}>
                <option value="">—</option>
                {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
              </SelectField>
            )
          default:
            return <TextField key={f.id} {...common} value={typeof v === 'string' ? v : ''} onChange={(e) => onChange(f.key, e.target.value)} placeholder={f.kind === 'site' ? t('fields.siteCode') : undefined} />
        }
      })}
    </>
  )
}
