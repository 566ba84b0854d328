import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from '../../../ui/Dialog'
import type { Attachment } from '../api/tickets.api'
import { Icon } from '../../../ui/Icon'

export const attachmentUrl = (a: Attachment) => a.url ?? `/api/v1/attachments/${a.id}`
const isImage = (a: Attachment) => a.contentType.startsWith('image/')
const isPdf = (a: Attachment) => a.contentType === 'application/pdf'

function size(n: number) {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** Attachment chips; images and PDFs open in a preview, everything can be downloaded. */
export function AttachmentList({ items }: { items: Attachment[] }) {
  const { t } = useTranslation()
  const [preview, setPreview] = useState<Attachment | null>(null)
  if (!items.length) return null
  return (
    <>
      <ul className="attachments" aria-label={t('attachments.title')} style={{ listStyle: 'none', padding: 0 }}>
        {items.map((a) => (
          <li key={a.id} className="attachment">
            {isImage(a) ? <img src={attachmentUrl(a)} alt="" loading="lazy" /> : <Icon name="clip" />}
            {isImage(a) || isPdf(a) ? (
              <button type="button" className="btn btn-link" onClick={() => setPreview(a)}>{a.filename}</button>
            ) : <a href={`${attachmentUrl(a)}?download=true`} download={a.filename}>{a.filename}</a>}
            <span className="muted small">{size(a.size)}</span>
          </li>
        ))}
      </ul>
      <Dialog open={preview !== null} onClose={() => setPreview(null)} title={preview?.filename ?? ''} wide>
        {preview ? (
          <div className="stack">
            {isImage(preview) ? <img className="preview-img" src={attachmentUrl(preview)} alt={preview.filename} /> : (
              <iframe className="preview-frame" src={attachmentUrl(preview)} title={preview.filename} />
            )}
            <a href={`${attachmentUrl(preview)}?download=true`} download={preview.filename}>{t('attachments.download')}</a>
          </div>
        ) : null}
      </Dialog>
    </>
  )
}
