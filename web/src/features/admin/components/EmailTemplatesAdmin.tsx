import { useEffect, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Alert, ErrorState, Spinner } from '../../../ui/Feedback'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { usePageTitle } from '../../../ui/usePageTitle'
import { emailApi, type Preview, type Template } from '../api/email.api'

/** Subject and body of one template in one language, with its variables, a live preview and reset. */
function TemplateEditor({ tpl, onSaved }: { tpl: Template; onSaved: () => void }) {
  const { t } = useTranslation()
  const [subject, setSubject] = useState(tpl.subject)
  const [body, setBody] = useState(tpl.body)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  // Preview as the admin types (debounced), with the problems the server finds.
  useEffect(() => {
    let live = true
    const id = setTimeout(() => {
      emailApi.preview({ event: tpl.event, lang: tpl.lang, subject, body }).then((p) => { if (live) setPreview(p) }, (err: unknown) => { if (live) setMsg({ kind: 'error', text: errorMessage(err) }) })
    }, 300)
    return () => { live = false; clearTimeout(id) }
  }, [tpl.event, tpl.lang, subject, body])
  const save = async (reset: boolean) => {
    setBusy(true)
    setMsg(null)
    try {
      const saved = await emailApi.saveTemplate(tpl.event, tpl.lang, reset ? { subject: null, body: null } : { subject, body })
      setSubject(saved.subject)
      setBody(saved.body)
      setMsg({ kind: 'success', text: reset ? t('email.templates.restored') : t('email.templates.saved') })
      onSaved()
    } catch (err) { setMsg({ kind: 'error', text: errorMessage(err) }) } finally { setBusy(false) }
  }
  return (
    <div className="ticket-layout">
      <form className="card stack" onSubmit={(e) => { e.preventDefault(); void save(false) }} aria-label={t('email.templates.editor')}>
        {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
        <TextField label={t('email.templates.subject')} value={subject} onChange={(e) => setSubject(e.target.value)} />
        <TextArea label={t('email.templates.body')} value={body} rows={12} onChange={(e) => setBody(e.target.value)} style={{ fontFamily: 'ui-monospace, monospace' }} />
        <div className="small">
          <strong>{t('email.templates.variables')}</strong>{' '}
          {tpl.variables.map((v) => <code key={v} className="badge" style={{ marginRight: '.25rem' }}>{`{{${v}}}`}</code>)}
        </div>
        <div className="small muted">
          <strong>{t('email.templates.syntax')}</strong>{' '}
          <code>{'{{#if x}}…{{else}}…{{/if}}'}</code> {t('email.templates.syntaxIf')};{' '}
          <code>{'{{#one x}}…{{else}}…{{/one}}'}</code> {t('email.templates.syntaxOne')}
        </div>
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>{t('common.save')}</Button>
          <Button onClick={() => { setSubject(tpl.defaultSubject); setBody(tpl.defaultBody) }}>{t('email.templates.loadDefault')}</Button>
          {tpl.overridden ? <Button variant="danger" onClick={() => void save(true)}>{t('email.templates.restore')}</Button> : null}
        </div>
      </form>
      <section className="card stack" aria-labelledby="preview-h">
        <h2 id="preview-h">{t('email.templates.preview')}</h2>
        {preview?.problems.length ? (
          <div className="alert alert-warning" role="status">
            <strong>{t('email.templates.problems')}</strong>
            <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
              {preview.problems.map((p, i) => <li key={i}>{t(`email.templates.problem.${p.code}`, { defaultValue: p.code })}: <code>{p.detail}</code> ({t(`email.templates.${p.field}`, { defaultValue: p.field })})</li>)}
            </ul>
          </div>
        ) : null}
        {preview ? (
          <>
            <div><span className="muted small">{t('email.templates.subject')}:</span> <strong data-testid="preview-subject">{preview.subject}</strong></div>
            <iframe className="email-preview" title={t('email.templates.preview')} sandbox="" srcDoc={preview.html} />
          </>
        ) : <Spinner />}
      </section>
    </div>
  )
}

/** Notification templates per event and language (es-MX / English): which are customised, edit with preview. */
export function EmailTemplatesAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('email.templates.title'))
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['email', 'templates'], queryFn: emailApi.templates })
  const [event, setEvent] = useState('')
  const [lang, setLang] = useState<'es' | 'en'>('es')
  const current = event || list.data?.[0]?.event || ''
  const tpl = useQuery({ queryKey: ['email', 'template', current, lang], queryFn: () => emailApi.template(current, lang), enabled: !!current })
  const name = (e: string) => t(`email.templates.events.${e}`, { defaultValue: e })
  return (
    <div className="stack">
      <h1>{t('email.templates.title')}</h1>
      <p className="muted">{t('email.templates.intro')}</p>
      {list.isPending ? <Spinner /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : (
        <>
          <div className="toolbar">
            <SelectField label={t('email.templates.event')} value={current} onChange={(e) => setEvent(e.target.value)}>
              {list.data.map((x) => (
                <option key={x.event} value={x.event}>
                  {name(x.event)} — {t(`email.templates.audience.${x.audience}`)}{x.overridden.es || x.overridden.en ? ` (${t('email.templates.customised')})` : ''}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('email.templates.language')} value={lang} onChange={(e) => setLang(e.target.value as 'es' | 'en')}>
              <option value="es">Español</option>
              <option value="en">English</option>
            </SelectField>
          </div>
          {tpl.isPending ? <Spinner /> : tpl.isError ? <ErrorState error={tpl.error} /> : (
            <TemplateEditor key={`${tpl.data.event}-${tpl.data.lang}`} tpl={tpl.data}
              onSaved={() => { void qc.invalidateQueries({ queryKey: ['email', 'templates'] }); void qc.invalidateQueries({ queryKey: ['email', 'template', current, lang] }) }} />
          )}
        </>
      )}
    </div>
  )
}
