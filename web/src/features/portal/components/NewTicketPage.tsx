import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { labelOf } from '../../tickets/api/config.api'
import { ticketsApi } from '../../tickets/api/tickets.api'
import { stageFiles } from '../../tickets/api/staged-uploads.api'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { CustomFieldInputs, fieldsForType, missingRequired } from '../../tickets/components/CustomFieldInputs'
import { FileDrop } from './FileDrop'

/** "New ticket": a form per type with its required fields, steps already tried, and attachments (evidence). */
export function NewTicketPage() {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  usePageTitle(t('portal.nav.newTicket'))
  const { types, customFields } = useTicketConfig()
  const [typeId, setTypeId] = useState('')
  const [subject, setSubject] = useState('')
  const [description, setDescription] = useState('')
  const [steps, setSteps] = useState('')
  const [custom, setCustom] = useState<Record<string, unknown>>({})
  const [files, setFiles] = useState<File[]>([])
  const staged = useRef(new WeakMap<File, string>())
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<number | null>(null)
  const type = types.find((x) => x.id === typeId) ?? types.find((x) => x.code === 'consulta') ?? types[0]
  const fields = fieldsForType(customFields, type?.id, true)
  const form = useRef<HTMLFormElement>(null)
  // Fields are marked only after a first attempt, and then follow what is typed.
  const [tried, setTried] = useState(false)
  const missingCustom = fields.filter((f) => missingRequired([f], custom, i18n.language).length > 0)
  const invalid = {
    subject: tried && !subject.trim(),
    description: tried && !description.trim(),
    evidence: tried && !!type?.requiresEvidence && !files.length,
    custom: new Set(tried ? missingCustom.map((f) => f.key) : []),
  }
  const invalidCustomKeys = [...invalid.custom].join(',')
  const fieldKeys = fields.map((f) => f.key).join(',')

  // CustomFieldInputs takes no per-field errors: mark its controls here (each field is wrapped in
  // a [data-cf] box below).
  useEffect(() => {
    const keys = new Set(invalidCustomKeys ? invalidCustomKeys.split(',') : [])
    for (const box of form.current?.querySelectorAll<HTMLElement>('[data-cf]') ?? []) {
      for (const el of box.querySelectorAll('input, select, textarea')) {
        if (keys.has(box.dataset.cf ?? '')) el.setAttribute('aria-invalid', 'true')
        else el.removeAttribute('aria-invalid')
      }
    }
  }, [invalidCustomKeys, fieldKeys])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setTried(true)
    const missing = [...(!subject.trim() ? [t('fields.subject')] : []), ...(!description.trim() ? [t('fields.description')] : []), ...missingCustom.map((f) => labelOf(f, i18n.language))]
    if (type?.requiresEvidence && !files.length) missing.push(t('portal.new.evidence'))
    if (missing.length) {
      setError(t('calls.missing', { fields: missing.join(', ') }))
      // The first field to fix takes the focus, in the order of the form.
      const first = !subject.trim() ? form.current?.querySelector<HTMLElement>('#new-subject')
        : !description.trim() ? form.current?.querySelector<HTMLElement>('#new-description')
          : missingCustom.length ? form.current?.querySelector<HTMLElement>(`[data-cf="${CSS.escape(missingCustom[0].key)}"] :is(input, select, textarea)`)
            : form.current?.querySelector<HTMLElement>('#new-evidence')
      first?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const body = steps.trim() ? `${description.trim()}\n\n${t('fields.stepsTried')}:\n${steps.trim()}` : description.trim()
      // Files first, then the ticket claims them in its own transaction (a type that asks for
      // evidence starts as new rather than waiting for it).
      const attachmentIds = await stageFiles(files, staged.current)
      const tk = await ticketsApi.create({
        subject: subject.trim(), description: body, type: type?.id,
        ...(Object.keys(custom).length ? { customFields: custom } : {}), ...(attachmentIds.length ? { attachmentIds } : {}),
      })
      setCreated(tk.number)
      void qc.invalidateQueries({ queryKey: ['tickets'] })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (created !== null) {
    return (
      <section className="card done-card stack" aria-live="polite">
        <h1>{t('portal.new.created')}</h1>
        <p>{t('portal.new.keepNumber')}</p>
        <p className="big-number">{created}</p>
        <p><Link href={`/portal/tickets/${created}`}>{t('portal.new.follow')}</Link></p>
      </section>
    )
  }
  return (
    <form className="stack" onSubmit={submit} noValidate ref={form}>
      <h1>{t('portal.nav.newTicket')}</h1>
      {error ? <Alert>{error}</Alert> : null}
      <SelectField label={t('fields.type')} value={type?.id ?? ''} onChange={(e) => { setTypeId(e.target.value); setCustom({}) }}>
        {types.filter((x) => x.active !== false).map((x) => <option key={x.id} value={x.id}>{labelOf(x, i18n.language)}</option>)}
      </SelectField>
      <TextField id="new-subject" label={t('fields.subject')} required error={invalid.subject ? t('portal.new.required') : null} value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={250} />
      <TextArea id="new-description" label={t('fields.description')} required error={invalid.description ? t('portal.new.required') : null} value={description} onChange={(e) => setDescription(e.target.value)} hint={t('portal.new.descriptionHint')} />
      <TextArea label={t('fields.stepsTried')} value={steps} onChange={(e) => setSteps(e.target.value)} rows={3} />
      {fields.map((f) => (
        <div key={f.id} data-cf={f.key}>
          <CustomFieldInputs fields={[f]} values={custom} onChange={(k, v) => setCustom((c) => ({ ...c, [k]: v }))} />
        </div>
      ))}
      <FileDrop files={files} onChange={setFiles} label={type?.requiresEvidence ? `${t('portal.new.evidence')} *` : t('portal.new.attachments')}
        buttonId="new-evidence" error={invalid.evidence ? t('portal.new.evidenceRequired') : null} />
      <div><Button type="submit" variant="primary" busy={busy}>{t('portal.new.submit')}</Button></div>
    </form>
  )
}
