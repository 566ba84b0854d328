import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useFormSubmit } from '../../../app/useFormSubmit'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { Alert, EmptyState } from '../../../ui/Feedback'
import { TextField } from '../../../ui/Field'
import { ReorderList } from '../../../ui/ReorderList'
import { usePageTitle } from '../../../ui/usePageTitle'
import { labelOf, type TicketType } from '../../tickets/api/config.api'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { configAdminApi, savePositions, type TypeInput } from '../api/config-admin.api'
import { useListActions } from '../hooks/useListActions'
import { RowActions } from './RowActions'

interface FormState { code: string; nameEs: string; nameEn: string; description: string; requiresEvidence: boolean }
const empty: FormState = { code: '', nameEs: '', nameEn: '', description: '', requiresEvidence: false }

function TypeForm({ initial, editing, onSave, submitLabel }: { initial: FormState; editing: boolean; onSave: (b: TypeInput) => Promise<void>; submitLabel: string }) {
  const { t } = useTranslation()
  const [f, setF] = useState(initial)
  const { error, busy, run } = useFormSubmit()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      await onSave({ ...(editing ? {} : { code: f.code.trim() }), nameEs: f.nameEs.trim(), nameEn: f.nameEn.trim(), description: f.description.trim() || null, requiresEvidence: f.requiresEvidence })
      if (!editing) setF(empty)
    })
  }
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <TextField label={t('admin.types.code')} required disabled={editing} value={f.code} hint={t('admin.fields.keyHint')} onChange={(e) => setF({ ...f, code: e.target.value })} />
        <TextField label={t('admin.common.nameEs')} required value={f.nameEs} onChange={(e) => setF({ ...f, nameEs: e.target.value })} />
        <TextField label={t('admin.common.nameEn')} required value={f.nameEn} onChange={(e) => setF({ ...f, nameEn: e.target.value })} />
      </div>
      <TextField label={t('admin.common.description')} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      <label className="inline-label"><input type="checkbox" checked={f.requiresEvidence} onChange={(e) => setF({ ...f, requiresEvidence: e.target.checked })} />{t('admin.types.requiresEvidence')}</label>
      <div><Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button></div>
    </form>
  )
}

/** Ticket types: names in both languages, evidence required, active, order. */
export function TypesAdmin() {
  const { t, i18n } = useTranslation()
  usePageTitle(t('admin.types.title'))
  const qc = useQueryClient()
  const { types } = useTicketConfig()
  const [editing, setEditing] = useState<TicketType | null>(null)
  const sorted = [...types].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
  const refresh = () => qc.invalidateQueries({ queryKey: ['config', 'types'] })
  const { msg, setMsg, act } = useListActions(refresh)
  return (
    <div className="stack">
      <h1>{t('admin.types.title')}</h1>
      <section className="card stack" aria-labelledby="new-type-h">
        <h2 id="new-type-h">{t('admin.types.new')}</h2>
        <TypeForm initial={empty} editing={false} submitLabel={t('admin.types.create')}
          onSave={async (b) => { await configAdminApi.createType({ ...b, position: (sorted.length + 1) * 10 }); await refresh(); setMsg({ kind: 'success', text: t('admin.types.created', { name: b.nameEs }) }) }} />
      </section>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      {sorted.length === 0 ? <EmptyState title={t('admin.types.none')} /> : (
        <ReorderList items={sorted} itemKey={(x) => x.id} itemName={(x) => labelOf(x, i18n.language)} label={t('admin.types.title')}
          onReorder={(ids) => act(() => savePositions(sorted, ids, (id, position) => configAdminApi.updateType(id, { position })))}
          render={(ty) => (
            <div className="row-between">
              <div>
                <strong>{labelOf(ty, i18n.language)}</strong> <code className="small">{ty.code}</code>
                {ty.requiresEvidence ? <> <span className="badge">{t('admin.types.evidence')}</span></> : null}
                {ty.active === false ? <> <span className="badge">{t('admin.common.inactive')}</span></> : null}
              </div>
              <RowActions name={labelOf(ty, i18n.language)} active={ty.active !== false} deleteConfirm={t('admin.common.deleteConfirm', { name: labelOf(ty, i18n.language) })}
                onEdit={() => setEditing(ty)} onToggleActive={() => act(() => configAdminApi.updateType(ty.id, { active: ty.active === false }))}
                onDelete={() => act(() => configAdminApi.deleteType(ty.id))} />
            </div>
          )} />
      )}
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? t('admin.common.editNamed', { name: labelOf(editing, i18n.language) }) : ''}>
        {editing ? (
          <TypeForm initial={{ code: editing.code, nameEs: editing.nameEs ?? '', nameEn: editing.nameEn ?? '', description: (editing as { description?: string | null }).description ?? '', requiresEvidence: !!editing.requiresEvidence }}
            editing submitLabel={t('common.save')}
            onSave={async (b) => { await configAdminApi.updateType(editing.id, b); setEditing(null); await refresh(); setMsg({ kind: 'success', text: t('admin.common.saved') }) }} />
        ) : null}
      </Dialog>
    </div>
  )
}
