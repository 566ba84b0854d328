import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { Button } from '../../../ui/Button'
import { CheckboxGroup } from '../../../ui/CheckboxGroup'
import { Dialog } from '../../../ui/Dialog'
import { Alert, EmptyState } from '../../../ui/Feedback'
import { SelectField, TextArea, TextField } from '../../../ui/Field'
import { ReorderList } from '../../../ui/ReorderList'
import { usePageTitle } from '../../../ui/usePageTitle'
import { CUSTOM_FIELD_KINDS } from '../../../../../common/src/tickets/tickets.types'
import { labelOf, type CustomField, type CustomFieldKind, type FieldOption } from '../../tickets/api/config.api'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { configAdminApi, savePositions, type FieldInput } from '../api/config-admin.api'
import { useListActions } from '../hooks/useListActions'
import { RowActions } from './RowActions'

const WITH_OPTIONS = new Set<CustomFieldKind>(['select', 'multi_select'])

/** Options as text, one per line: `value | Etiqueta | Label`. */
function optionsToText(o: FieldOption[] = []) { return o.map((x) => `${x.value} | ${x.labelEs} | ${x.labelEn}`).join('\n') }
function textToOptions(text: string): FieldOption[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [value, es, en] = l.split('|').map((p) => p.trim())
    return { value, labelEs: es || value, labelEn: en || es || value }
  })
}

interface FormState { key: string; labelEs: string; labelEn: string; description: string; kind: CustomFieldKind; options: string; typeIds: string[]; required: boolean; customerVisible: boolean; customerEditable: boolean }
const empty: FormState = { key: '', labelEs: '', labelEn: '', description: '', kind: 'text', options: '', typeIds: [], required: false, customerVisible: true, customerEditable: true }
const fromField = (f: CustomField): FormState => ({
  key: f.key, labelEs: f.labelEs ?? '', labelEn: f.labelEn ?? '', description: f.description ?? '', kind: f.kind, options: optionsToText(f.options),
  typeIds: f.typeIds ?? [], required: !!f.required, customerVisible: !!f.customerVisible, customerEditable: !!f.customerEditable,
})

/** Create / edit a custom field: labels in both languages, kind, options, the types it applies to, flags. */
function FieldForm({ initial, editing, onSave, submitLabel }: { initial: FormState; editing: boolean; onSave: (b: FieldInput) => Promise<void>; submitLabel: string }) {
  const { t, i18n } = useTranslation()
  const { types } = useTicketConfig()
  const [f, setF] = useState<FormState>(initial)
  const { error, busy, run } = useFormSubmit()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      await onSave({
        ...(editing ? {} : { key: f.key.trim() }), labelEs: f.labelEs.trim(), labelEn: f.labelEn.trim(), description: f.description.trim() || null, kind: f.kind,
        ...(WITH_OPTIONS.has(f.kind) ? { options: textToOptions(f.options) } : {}), typeIds: f.typeIds,
        required: f.required, customerVisible: f.customerVisible, customerEditable: f.customerVisible && f.customerEditable,
      })
      if (!editing) setF(empty)
    })
  }
  const check = (k: 'required' | 'customerVisible' | 'customerEditable', label: string, disabled = false) => (
    <label className="inline-label"><input type="checkbox" checked={f[k]} disabled={disabled} onChange={(e) => setF({ ...f, [k]: e.target.checked })} />{label}</label>
  )
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <TextField label={t('admin.fields.key')} required value={f.key} disabled={editing} hint={t('admin.fields.keyHint')} pattern="[a-z][a-z0-9_]*"
          onChange={(e) => setF({ ...f, key: e.target.value })} />
        <TextField label={t('admin.common.labelEs')} required value={f.labelEs} onChange={(e) => setF({ ...f, labelEs: e.target.value })} />
        <TextField label={t('admin.common.labelEn')} required value={f.labelEn} onChange={(e) => setF({ ...f, labelEn: e.target.value })} />
        <SelectField label={t('admin.fields.kind')} value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as CustomFieldKind })}>
          {CUSTOM_FIELD_KINDS.map((k) => <option key={k} value={k}>{t(`admin.fields.kinds.${k}`)}</option>)}
        </SelectField>
      </div>
      {WITH_OPTIONS.has(f.kind) ? (
        <TextArea label={t('admin.fields.options')} hint={t('admin.fields.optionsHint')} required value={f.options} rows={4} onChange={(e) => setF({ ...f, options: e.target.value })} />
      ) : null}
      <TextField label={t('admin.common.description')} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      <CheckboxGroup legend={t('admin.fields.types')} hint={t('admin.fields.typesHint')} values={types.map((ty) => ty.id)} selected={f.typeIds}
        label={(id) => labelOf(types.find((ty) => ty.id === id), i18n.language)} onChange={(typeIds) => setF({ ...f, typeIds })} />
      <div className="row">
        {check('required', t('admin.fields.required'))}
        {check('customerVisible', t('admin.fields.customerVisible'))}
        {check('customerEditable', t('admin.fields.customerEditable'), !f.customerVisible)}
      </div>
      <div><Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button></div>
    </form>
  )
}

/** Custom fields: create, edit, activate, delete, and order them by dragging or with the keyboard. */
export function CustomFieldsAdmin() {
  const { t, i18n } = useTranslation()
  usePageTitle(t('admin.fields.title'))
  const qc = useQueryClient()
  const { customFields, types } = useTicketConfig()
  const [editing, setEditing] = useState<CustomField | null>(null)
  const fields = [...customFields].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
  const refresh = () => qc.invalidateQueries({ queryKey: ['config', 'customFields'] })
  const { msg, setMsg, act } = useListActions(refresh)
  const typeNames = (f: CustomField) => (f.typeIds?.length ? f.typeIds.map((id) => labelOf(types.find((x) => x.id === id), i18n.language)).join(', ') : t('admin.fields.allTypes'))
  return (
    <div className="stack">
      <h1>{t('admin.fields.title')}</h1>
      <section className="card stack" aria-labelledby="new-field-h">
        <h2 id="new-field-h">{t('admin.fields.new')}</h2>
        <FieldForm initial={empty} editing={false} submitLabel={t('admin.fields.create')}
          onSave={async (b) => { await configAdminApi.createField({ ...b, position: (fields.length + 1) * 10 }); await refresh(); setMsg({ kind: 'success', text: t('admin.fields.created', { name: b.labelEs }) }) }} />
      </section>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      <section className="stack" aria-labelledby="fields-h">
        <h2 id="fields-h">{t('admin.fields.order')}</h2>
        <p className="muted small">{t('admin.fields.orderHint')}</p>
        {fields.length === 0 ? <EmptyState title={t('admin.fields.none')} /> : (
          <ReorderList items={fields} itemKey={(f) => f.id} itemName={(f) => labelOf(f, i18n.language)} label={t('admin.fields.order')}
            onReorder={(ids) => act(() => savePositions(fields, ids, (id, position) => configAdminApi.updateField(id, { position })))}
            render={(f) => (
              <div className="row-between" data-field={f.key}>
                <div>
                  <strong>{labelOf(f, i18n.language)}</strong> <code className="small">{f.key}</code>{' '}
                  <span className="badge">{t(`admin.fields.kinds.${f.kind}`)}</span>
                  {f.required ? <> <span className="badge">{t('admin.fields.required')}</span></> : null}
                  {f.customerVisible ? <> <span className="badge">{t('admin.fields.inPortal')}</span></> : null}
                  {f.active === false ? <> <span className="badge">{t('admin.common.inactive')}</span></> : null}
                  <div className="muted small">{typeNames(f)}</div>
                </div>
                <RowActions name={labelOf(f, i18n.language)} active={f.active !== false} deleteConfirm={t('admin.fields.deleteConfirm', { name: labelOf(f, i18n.language) })}
                  onEdit={() => setEditing(f)} onToggleActive={() => act(() => configAdminApi.updateField(f.id, { active: f.active === false }))}
                  onDelete={() => act(() => configAdminApi.deleteField(f.id))} />
              </div>
            )} />
        )}
      </section>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? t('admin.common.editNamed', { name: labelOf(editing, i18n.language) }) : ''} wide>
        {editing ? (
          <FieldForm initial={fromField(editing)} editing submitLabel={t('common.save')}
            onSave={async (b) => { await configAdminApi.updateField(editing.id, b); setEditing(null); await refresh(); setMsg({ kind: 'success', text: t('admin.common.saved') }) }} />
        ) : null}
      </Dialog>
    </div>
  )
}
