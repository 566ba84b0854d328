import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { useFileDrop } from '../../tickets/hooks/useFileDrop'
import { Icon } from '../../../ui/Icon'

/**
 * Attachments by drag-and-drop, paste or the file picker, listed with a remove button. `error`
 * (required evidence missing) is shown under the zone and describes its button; `buttonId` lets a
 * form move the focus there.
 */
export function FileDrop({ files, onChange, label, error, buttonId }: {
  files: File[]; onChange: (f: File[]) => void; label: string; error?: string | null; buttonId?: string
}) {
  const { t } = useTranslation()
  const input = useRef<HTMLInputElement>(null)
  const drop = useFileDrop((f) => onChange([...files, ...f]))
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <span style={{ fontWeight: 600, fontSize: '.9rem' }} id="files-label">{label}</span>
      <div className={`dropzone${drop.dragging ? ' is-dragging' : ''}`} {...drop.handlers}>
        <p style={{ margin: '0 0 .5rem' }}>{t('portal.files.drop')}</p>
        <input ref={input} type="file" multiple hidden aria-labelledby="files-label" data-testid="file-input"
          onChange={(e) => { onChange([...files, ...(e.target.files ? [...e.target.files] : [])]); e.target.value = '' }} />
        <Button size="sm" id={buttonId} onClick={() => input.current?.click()}
          aria-describedby={error && buttonId ? `${buttonId}-err` : undefined}>{t('portal.files.choose')}</Button>
      </div>
      {error ? <div className="field-error" id={buttonId ? `${buttonId}-err` : undefined} role="alert">{error}</div> : null}
      {files.length ? (
        <ul className="file-list">
          {files.map((f, i) => <li key={`${f.name}-${i}`} className="row"><Icon name="clip" /> {f.name} <Button size="sm" variant="ghost" onClick={() => onChange(files.filter((_, j) => j !== i))} aria-label={t('composer.removeFile', { name: f.name })}>×</Button></li>)}
        </ul>
      ) : null}
    </div>
  )
}
