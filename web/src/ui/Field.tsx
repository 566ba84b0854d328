import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react'

interface FieldProps { label: ReactNode; error?: string | null; hint?: ReactNode; required?: boolean }

function describedBy(id: string, error?: string | null, hint?: ReactNode) {
  return [error ? `${id}-err` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined
}

function FieldFrame({ id, label, error, hint, required, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}{required ? <span className="req" aria-hidden="true"> *</span> : null}</label>
      {children}
      {hint ? <div className="field-hint" id={`${id}-hint`}>{hint}</div> : null}
      {error ? <div className="field-error" id={`${id}-err`} role="alert">{error}</div> : null}
    </div>
  )
}

/** A labelled text input with hint and error wired to aria-describedby. */
export function TextField({ label, error, hint, required, id: given, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId()
  const id = given ?? auto
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      <input id={id} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...input} />
    </FieldFrame>
  )
}

export function TextArea({ label, error, hint, required, id: given, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId()
  const id = given ?? auto
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      <textarea id={id} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...input} />
    </FieldFrame>
  )
}

export function SelectField({ label, error, hint, required, id: given, children, ...input }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId()
  const id = given ?? auto
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      <select id={id} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...input}>{children}</select>
    </FieldFrame>
  )
}
