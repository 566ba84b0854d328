import { useTranslation } from 'react-i18next'
import { Dialog } from '../../../ui/Dialog'

const KEYS: Array<[string, string]> = [['j', 'shortcuts.next'], ['k', 'shortcuts.prev'], ['o', 'shortcuts.open'], ['x', 'shortcuts.select'],
  ['r', 'shortcuts.reply'], ['n', 'shortcuts.note'], ['a', 'shortcuts.assignMe'], ['/', 'shortcuts.search'], ['?', 'shortcuts.help'],
  ['Ctrl+Enter', 'shortcuts.send'], ['Ctrl+B', 'shortcuts.bold'], ['Ctrl+I', 'shortcuts.italic'], ['@', 'shortcuts.mention']]

/** The list of keyboard shortcuts ("?"). */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Dialog open={open} onClose={onClose} title={t('shortcuts.title')}>
      <dl className="dl">
        {KEYS.map(([k, label]) => (
          <div key={k} style={{ display: 'contents' }}><dt><kbd>{k}</kbd></dt><dd>{t(label)}</dd></div>
        ))}
      </dl>
    </Dialog>
  )
}
