import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../app/api-client'
import { Button } from '../../../ui/Button'
import { Dialog } from '../../../ui/Dialog'
import { Alert, EmptyState } from '../../../ui/Feedback'
import { SelectField, TextField } from '../../../ui/Field'
import { ReorderList } from '../../../ui/ReorderList'
import { usePageTitle } from '../../../ui/usePageTitle'
import { PRIORITIES } from '../../../../../common/src/tickets/tickets.types'
import { labelOf, type Category } from '../../tickets/api/config.api'
import type { Priority } from '../../tickets/api/tickets.api'
import { flattenCategories } from '../../tickets/components/FilterPanel'
import { useStaffDirectory, useTicketConfig } from '../../tickets/hooks/useTicketConfig'
import { configAdminApi, savePositions, type CategoryInput } from '../api/config-admin.api'
import { useListActions } from '../hooks/useListActions'

interface FormState { name: string; parentId: string; description: string; defaultTeamId: string; defaultPriority: string; defaultTypeId: string; active: boolean }
const fromCategory = (c: Category | null, parentId = ''): FormState => ({
  name: c?.name ?? '', parentId: c ? c.parentId ?? '' : parentId, description: (c as { description?: string | null } | null)?.description ?? '',
  defaultTeamId: c?.defaultTeamId ?? '', defaultPriority: c?.defaultPriority ?? '', defaultTypeId: c?.defaultTypeId ?? '', active: c?.active !== false,
})

/** Name, parent (moving it in the tree), description and the defaults a ticket in it takes. */
function CategoryForm({ initial, self, onSave, submitLabel }: { initial: FormState; self?: Category; onSave: (b: CategoryInput) => Promise<void>; submitLabel: string }) {
  const { t, i18n } = useTranslation()
  const { categories, types } = useTicketConfig()
  const { teams } = useStaffDirectory()
  const [f, setF] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  // A category cannot move under itself or its descendants.
  const parents = flattenCategories(categories).filter((c) => !self || !(c.path ?? []).includes(self.id))
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await onSave({
        name: f.name.trim(), parentId: f.parentId || null, description: f.description.trim() || null, defaultTeamId: f.defaultTeamId || null,
        defaultPriority: (f.defaultPriority || null) as Priority | null, defaultTypeId: f.defaultTypeId || null, ...(self ? { active: f.active } : {}),
      })
      if (!self) setF(fromCategory(null, f.parentId))
    } catch (err) { setError(errorMessage(err)) }
  }
  return (
    <form className="stack" onSubmit={submit}>
      {error ? <Alert>{error}</Alert> : null}
      <div className="filters" style={{ padding: 0, margin: 0 }}>
        <TextField label={t('admin.categories.name')} required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
        <SelectField label={t('admin.categories.parent')} value={f.parentId} onChange={(e) => setF({ ...f, parentId: e.target.value })}>
          <option value="">{t('admin.categories.root')}</option>
          {parents.map((c) => <option key={c.id} value={c.id}>{'— '.repeat(c.level)}{c.name}</option>)}
        </SelectField>
        <SelectField label={t('admin.categories.defaultTeam')} value={f.defaultTeamId} onChange={(e) => setF({ ...f, defaultTeamId: e.target.value })}>
          <option value="">{t('common.none')}</option>
          {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
        </SelectField>
        <SelectField label={t('admin.categories.defaultPriority')} value={f.defaultPriority} onChange={(e) => setF({ ...f, defaultPriority: e.target.value })}>
          <option value="">{t('common.none')}</option>
          {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
        </SelectField>
        <SelectField label={t('admin.categories.defaultType')} value={f.defaultTypeId} onChange={(e) => setF({ ...f, defaultTypeId: e.target.value })}>
          <option value="">{t('common.none')}</option>
          {types.map((ty) => <option key={ty.id} value={ty.id}>{labelOf(ty, i18n.language)}</option>)}
        </SelectField>
      </div>
      <TextField label={t('admin.common.description')} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      {self ? <label className="inline-label"><input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} />{t('admin.common.active')}</label> : null}
      <div><Button type="submit" variant="primary">{submitLabel}</Button></div>
    </form>
  )
}

/** The category tree: each level ordered by dragging or with the keyboard; add, edit, move, delete. */
export function CategoriesAdmin() {
  const { t } = useTranslation()
  usePageTitle(t('admin.categories.title'))
  const qc = useQueryClient()
  const { categories } = useTicketConfig()
  const [dialog, setDialog] = useState<{ kind: 'edit'; category: Category } | { kind: 'child'; parent: Category } | null>(null)
  const refresh = () => qc.invalidateQueries({ queryKey: ['config', 'categories'] })
  const { msg, setMsg, act } = useListActions(refresh)
  const childrenOf = (parentId: string | null) => categories.filter((c) => (c.parentId ?? null) === parentId)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.name.localeCompare(b.name))

  const level = (parentId: string | null, label: string) => {
    const items = childrenOf(parentId)
    if (!items.length) return null
    return (
      <ReorderList items={items} itemKey={(c) => c.id} itemName={(c) => c.name} label={label}
        onReorder={(ids) => act(() => savePositions(items, ids, (id, position) => configAdminApi.updateCategory(id, { position })))}
        render={(c) => (
          <div className="stack" style={{ gap: '.35rem' }} data-category={c.name}>
            <div className="row-between">
              <div>
                <strong>{c.name}</strong>
                {c.active === false ? <> <span className="badge">{t('admin.common.inactive')}</span></> : null}
              </div>
              <div className="row">
                <Button size="sm" onClick={() => setDialog({ kind: 'child', parent: c })} aria-label={t('admin.categories.addChildOf', { name: c.name })}>{t('admin.categories.addChild')}</Button>
                <Button size="sm" onClick={() => setDialog({ kind: 'edit', category: c })} aria-label={t('admin.common.editNamed', { name: c.name })}>{t('common.edit')}</Button>
                <Button size="sm" variant="danger" aria-label={t('admin.common.deleteNamed', { name: c.name })}
                  onClick={() => { if (window.confirm(t('admin.common.deleteConfirm', { name: c.name }))) void act(() => configAdminApi.deleteCategory(c.id)).catch(() => {}) }}>
                  {t('common.delete')}
                </Button>
              </div>
            </div>
            {level(c.id, t('admin.categories.childrenOf', { name: c.name }))}
          </div>
        )} />
    )
  }

  return (
    <div className="stack">
      <h1>{t('admin.categories.title')}</h1>
      <section className="card stack" aria-labelledby="new-cat-h">
        <h2 id="new-cat-h">{t('admin.categories.new')}</h2>
        <CategoryForm initial={fromCategory(null)} submitLabel={t('admin.categories.create')}
          onSave={async (b) => { await configAdminApi.createCategory({ ...b, position: (childrenOf(b.parentId ?? null).length + 1) * 10 }); await refresh(); setMsg({ kind: 'success', text: t('admin.categories.created', { name: b.name }) }) }} />
      </section>
      {msg ? <Alert kind={msg.kind}>{msg.text}</Alert> : null}
      <section className="stack category-tree" aria-labelledby="tree-h">
        <h2 id="tree-h">{t('admin.categories.tree')}</h2>
        {categories.length === 0 ? <EmptyState title={t('admin.categories.none')} /> : level(null, t('admin.categories.tree'))}
      </section>
      <Dialog open={dialog !== null} onClose={() => setDialog(null)} wide
        title={dialog?.kind === 'edit' ? t('admin.common.editNamed', { name: dialog.category.name }) : dialog ? t('admin.categories.addChildOf', { name: dialog.parent.name }) : ''}>
        {dialog?.kind === 'edit' ? (
          <CategoryForm initial={fromCategory(dialog.category)} self={dialog.category} submitLabel={t('common.save')}
            onSave={async (b) => { await configAdminApi.updateCategory(dialog.category.id, b); setDialog(null); await refresh(); setMsg({ kind: 'success', text: t('admin.common.saved') }) }} />
        ) : dialog?.kind === 'child' ? (
          <CategoryForm initial={fromCategory(null, dialog.parent.id)} submitLabel={t('admin.categories.create')}
            onSave={async (b) => { await configAdminApi.createCategory({ ...b, position: (childrenOf(dialog.parent.id).length + 1) * 10 }); setDialog(null); await refresh(); setMsg({ kind: 'success', text: t('admin.categories.created', { name: b.name }) }) }} />
        ) : null}
      </Dialog>
    </div>
  )
}
