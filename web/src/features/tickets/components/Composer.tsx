import { forwardRef, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { errorMessage } from '../../../app/api-client'
import { STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'
import type { StatusCode } from '../api/tickets.api'
import type { UserRef } from '../api/config.api'
import { useFileDrop } from '../hooks/useFileDrop'
import { Icon } from '../../../ui/Icon'

export type ComposerMode = 'reply' | 'note'
export interface ComposerHandle { focus: (mode: ComposerMode) => void }
export interface ComposerSend { body: string; internal: boolean; status?: StatusCode; files: File[]; mentions: string[] }

interface Props {
  allowNote: boolean
  allowStatus: boolean
  currentStatus: StatusCode
  agents: UserRef[]
  onSend: (s: ComposerSend) => Promise<void>
  onTyping?: (typing: boolean) => void
}

/** Finds an "@word" being typed just before the caret. */
function mentionQuery(text: string, caret: number): { start: number; q: string } | null {
  const m = /(^|\s)@([\p{L}\p{N}._-]{0,30})$/u.exec(text.slice(0, caret))
  return m ? { start: caret - m[2].length - 1, q: m[2].toLowerCase() } : null
}

/**
 * Reply or internal note: the note mode changes colour, label and icon so it is never mistaken for a
 * reply. Status on send, files by picker, drag or paste, @mentions of agents, Ctrl+Enter sends.
 */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer({ allowNote, allowStatus, currentStatus, agents, onSend, onTyping }, ref) {
  const { t } = useTranslation()
  const [mode, setMode] = useState<ComposerMode>('reply')
  const [body, setBody] = useState('')
  const [status, setStatus] = useState<string>('')
  const [files, setFiles] = useState<File[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [mention, setMention] = useState<{ start: number; q: string } | null>(null)
  const [mentionIdx, setMentionIdx] = useState(0)
  const [mentioned, setMentioned] = useState<UserRef[]>([])
  const area = useRef<HTMLTextAreaElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const drop = useFileDrop((f) => setFiles((old) => [...old, ...f]))

  useImperativeHandle(ref, () => ({
    // Focus at once (not on a timer): the keys typed right after the shortcut must land in the text.
    focus: (m) => { if (m === 'note' && !allowNote) return; setMode(m); area.current?.focus() },
  }), [allowNote])

  const matches = mention ? agents.filter((a) => a.name.toLowerCase().includes(mention.q) || (a.email ?? '').toLowerCase().startsWith(mention.q)).slice(0, 6) : []

  const pick = (a: UserRef) => {
    if (!mention) return
    const caret = area.current?.selectionStart ?? body.length
    const next = `${body.slice(0, mention.start)}@${a.name} ${body.slice(caret)}`
    setBody(next)
    setMentioned((old) => (old.some((x) => x.id === a.id) ? old : [...old, a]))
    setMention(null)
    setTimeout(() => { const pos = mention.start + a.name.length + 2; area.current?.setSelectionRange(pos, pos); area.current?.focus() }, 0)
  }

  const send = async () => {
    if (!body.trim() && !files.length) { setError(t('composer.empty')); return }
    setBusy(true)
    setError(null)
    try {
      await onSend({
        body: body.trim(), internal: mode === 'note', status: status ? (status as StatusCode) : undefined, files,
        mentions: mentioned.filter((m) => body.includes(`@${m.name}`)).map((m) => m.id),
      })
      setBody('')
      setFiles([])
      setStatus('')
      setMentioned([])
      onTyping?.(false)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (matches.length) {
      if (e.key === 'ArrowDown') { e.preventDefault(); setMentionIdx((i) => (i + 1) % matches.length); return }
      if (e.key === 'ArrowUp') { e.preventDefault(); setMentionIdx((i) => (i - 1 + matches.length) % matches.length); return }
      if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); pick(matches[mentionIdx] ?? matches[0]); return }
      if (e.key === 'Escape') { setMention(null); return }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void send() }
  }

  const isNote = mode === 'note'
  return (
    <section className={`composer${isNote ? ' is-note' : ''}${drop.dragging ? ' is-dragging' : ''}`} aria-label={t('composer.title')} {...drop.handlers}>
      <div className="row-between">
        <div className="mode-switch" role="group" aria-label={t('composer.mode')}>
          <button type="button" aria-pressed={!isNote} onClick={() => setMode('reply')}><Icon name="reply" /> {t('composer.reply')}</button>
          {allowNote ? <button type="button" className="note" aria-pressed={isNote} onClick={() => setMode('note')}><Icon name="lock" /> {t('composer.note')}</button> : null}
        </div>
        <span className="muted small">{isNote ? t('composer.noteHint') : t('composer.replyHint')}</span>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      <label htmlFor="composer-body" className="sr-only">{isNote ? t('composer.note') : t('composer.reply')}</label>
      <textarea id="composer-body" ref={area} value={body} placeholder={isNote ? t('composer.notePlaceholder') : t('composer.replyPlaceholder')}
        onChange={(e) => {
          setBody(e.target.value)
          onTyping?.(e.target.value.length > 0)
          const m = mentionQuery(e.target.value, e.target.selectionStart)
          setMention(m)
          setMentionIdx(0)
        }}
        onKeyDown={onKeyDown}
        aria-autocomplete="list" aria-controls={matches.length ? 'mention-list' : undefined}
        aria-activedescendant={matches.length ? `mention-${matches[mentionIdx]?.id}` : undefined} />
      {matches.length ? (
        <ul id="mention-list" className="mention-list" role="listbox" aria-label={t('composer.mentions')}>
          {matches.map((a, i) => (
            <li key={a.id} id={`mention-${a.id}`} role="option" aria-selected={i === mentionIdx} onMouseDown={(e) => { e.preventDefault(); pick(a) }}>
              {a.name} <span className="muted small">{a.email}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {files.length ? (
        <ul className="file-list">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`} className="row"><Icon name="clip" /> {f.name} <Button size="sm" variant="ghost" onClick={() => setFiles(files.filter((_, j) => j !== i))} aria-label={t('composer.removeFile', { name: f.name })}>×</Button></li>
          ))}
        </ul>
      ) : null}
      <div className="row-between">
        <div className="row">
          <input ref={fileInput} type="file" multiple hidden onChange={(e) => { setFiles([...files, ...(e.target.files ? [...e.target.files] : [])]); e.target.value = '' }} />
          <Button size="sm" onClick={() => fileInput.current?.click()}>{t('composer.attach')}</Button>
          <span className="muted small">{t('composer.dropHint')}</span>
        </div>
        <div className="row">
          {allowStatus ? (
            <label className="inline-label small">{t('composer.statusOnSend')}
              <select value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">{t('composer.keepStatus', { status: t(`status.${currentStatus}`) })}</option>
                {STATUS_CODES.filter((s) => s !== 'new' && s !== 'cancelled' && s !== currentStatus).map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
              </select>
            </label>
          ) : null}
          <Button variant="primary" busy={busy} onClick={() => void send()}>
            {isNote ? t('composer.sendNote') : t('composer.sendReply')}
          </Button>
        </div>
      </div>
    </section>
  )
})
