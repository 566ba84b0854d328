import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'

/**
 * A list row's Edit, Activate/Deactivate and Delete buttons, labelled with the row's name; Delete asks
 * `deleteConfirm` first. A failed change is the caller's to show (its rejection is dropped here).
 */
export function RowActions({ name, active, deleteConfirm, onEdit, onToggleActive, onDelete }: {
  name: string; active: boolean; deleteConfirm: string; onEdit: () => void; onToggleActive: () => Promise<unknown>; onDelete: () => Promise<unknown>
}) {
  const { t } = useTranslation()
  return (
    <div className="row">
      <Button size="sm" onClick={onEdit} aria-label={t('admin.common.editNamed', { name })}>{t('common.edit')}</Button>
      <Button size="sm" onClick={() => void onToggleActive().catch(() => {})}>
        {active ? t('admin.common.deactivate') : t('admin.common.activate')}
      </Button>
      <Button size="sm" variant="danger" aria-label={t('admin.common.deleteNamed', { name })}
        onClick={() => { if (window.confirm(deleteConfirm)) void onDelete().catch(() => {}) }}>
        {t('common.delete')}
      </Button>
    </div>
  )
}
