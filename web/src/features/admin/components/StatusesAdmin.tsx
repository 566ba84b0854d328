import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { Alert } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { ReorderList } from '../../../ui/ReorderList'
import { usePageTitle } from '../../../ui/usePageTitle'
import { STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf, type TicketStatus } from '../../tickets/api/config.api'
import type { StatusCode } from '../../tickets/api/tickets.api'
import { StatusBadge } from '../../tickets/components/TicketLabels'
import { useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { configAdminApi, savePositions } from '../api/config-admin.api'
import { useListActions } from '../hooks/useListActions'

/** Labels of one status (built-in ones can be renamed and reordered, not deleted). */
function LabelsForm({ status, onSave }: { status: TicketStatus; onSave: (b: { labelEs: string; labelEn: string }) => Promise<void> }) {
  const { t } = useTranslation()
  const [es, setEs] = useState(status.labelEs ?? '')
  const [en, setEn] = useState(status.labelEn ?? '')
  const [error, setError] = useState<string | null>(null)
  return (
    <form className="stack" onSubmit={(e) => { e.preventDefault(); setError(null); onSave({ labelEs: es.trim(), labelEn: en.trim() }).catch((err: unknown) => setError(errorMessage(err))) }}>
      {error ? <Alert>{error}</Alert> : null}
      <TextField label={t('admin.common.labelEs')} required value={es} onChange={(e) => setEs(e.target.value)} />
      <TextField label={t('admin.common.labelEn')} required value={en} onChange={(e) => setEn(e.target.value)} />
      <div><Button type="submit" variant="primary">{t('common.save')}</Button></div>
    </form>
  )
}

/** Statuses: the seven base ones and custom statuses mapped to one of them (labels, order, active). */
export function StatusesAdmin() {
  const { t, i18n } = useTranslation()
  usePageTitle(t('admin.statuses.title'))
  const qc = useQueryClient()
  const { statuses } = useTicketConfig()
  const [form, setForm] = useState({ key: '', status: 'open' as StatusCode, labelEs: '', labelEn: '' })
  const [editing, setEditing] = useState<TicketStatus | null>(null)
  const sorted = [...statuses].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
  const refresh = () => qc.invalidateQueries({ queryKey: ['config', 'statuses'] })
  const { msg, setMsg, act } = useListActions(refresh)
  const create = (e: FormEvent) => {
    e.preventDefault()
    void act(() => configAdminApi.createStatus({ ...form, key: form.key.trim(), labelEs: form.labelEs.trim(), labelEn: form.labelEn.trim(), position: (sorted.length + 1) * 10 }),
      t('admin.statuses.created', { name: form.labelEs })).then(() => setForm({ ...form, key: '', labelEs: '', labelEn: '' }), () => {})
  }
  const builtIn = (s: TicketStatus) => (s as { builtIn?: boolean }).builtIn === true
  return (
    <div className="stack">
      <h1>{t('admin.statuses.title')}</h1>
      <p className="muted">{t('admin.statuses.intro')}</p>
      <form className="card stack" onSubmit={create} aria-labelledby="new-status-h">
        <h2 id="new-status-h">{t('admin.statuses.new')}</h2>
        <div className="filters" style={{ padding: 0, margin: 0 }}>
          <TextField label={t('admin.fields.key')} required value={form.key} hint={t('admin.fields.keyHint')} onChange={(e) => setForm({ ...form, key: e.target.value })} />
          <SelectField label={t('admin.statuses.category')} value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as StatusCode })}>
            {STATUS_CODES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </SelectField>
          <TextField label={t('admin.common.labelEs')} required value={form.labelEs} onChange={(e) => setForm({ ...form, labelEs: e.target.value })} />
          <TextField label={t('admin.common.labelEn')} required value={form.labelEn} onChange={(e) => setForm({ ...form, labelEn: e.target.value })} />
        </div>
        <div><Button type="submit" variant="primary">{t('admin.statuses.create')}</Button></div>
      </form>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      <ReorderList items={sorted} itemKey={(s) => s.id} itemName={(s) => labelOf(s, i18n.language)} label={t('admin.statuses.title')}
        onReorder={(ids) => act(() => savePositions(sorted, ids, (id, position) => configAdminApi.updateStatus(id, { position })))}
        render={(s) => (
          <div className="row-between">
            <div>
              <strong>{labelOf(s, i18n.language)}</strong> <code className="small">{s.key}</code>{' '}
              <StatusBadge status={s.status} />
              {builtIn(s) ? <> <span className="badge">{t('admin.statuses.builtIn')}</span></> : null}
              {s.active === false ? <> <span className="badge">{t('admin.common.inactive')}</span></> : null}
            </div>
            <div className="row">
              <Button size="sm" onClick={() => setEditing(s)} aria-label={t('admin.common.editNamed', { name: labelOf(s, i18n.language) })}>{t('common.edit')}</Button>
              {!builtIn(s) ? (
                <>
                  <Button size="sm" onClick={() => void act(() => configAdminApi.updateStatus(s.id, { active: s.active === false })).catch(() => {})}>
                    {s.active === false ? t('admin.common.activate') : t('admin.common.deactivate')}
                  </Button>
                  <Button size="sm" variant="danger" aria-label={t('admin.common.deleteNamed', { name: labelOf(s, i18n.language) })}
                    onClick={() => { if (window.confirm(t('admin.common.deleteConfirm', { name: labelOf(s, i18n.language) }))) void act(() => configAdminApi.deleteStatus(s.id)).catch(() => {}) }}>
                    {t('common.delete')}
                  </Button>
                </>
              ) : null}
            </div>
          </div>
        )} />
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? t('admin.common.editNamed', { name: labelOf(editing, i18n.language) }) : ''}>
        {editing ? <LabelsForm status={editing} onSave={async (b) => { await configAdminApi.updateStatus(editing.id, b); setEditing(null); await refresh(); setMsg({ kind: 'success', text: t('admin.common.saved') }) }} /> : null}
      </Dialog>
    </div>
  )
}
