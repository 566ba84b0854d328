import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from './Button'

/** An error (role=alert) or information (role=status) message. */
export function Alert({ kind = 'error', children, title }: { kind?: 'error' | 'info' | 'success' | 'warning'; children: ReactNode; title?: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title ? <strong className="alert-title">{title}</strong> : null}
      <div>{children}</div>
    </div>
  )
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation()
  return (
    <div className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span className="spinner-label">{label ?? t('common.loading')}</span>
    </div>
  )
}

/** What to show when a list has nothing: say why and what to do next. */
export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  )
}

/** A failed load with the server's message and a retry button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation()
  const message = error instanceof Error ? error.message : t('errors.unknown')
  return (
    <div className="alert alert-error" role="alert">
      <strong className="alert-title">{t('errors.loadFailed')}</strong>
      <div>{message}</div>
      {onRetry ? <Button size="sm" onClick={onRetry}>{t('common.retry')}</Button> : null}
    </div>
  )
}
