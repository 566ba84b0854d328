import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { Alert } from '../../../ui/Feedback'
import { errorMessage } from '../../../app/api-client'
import { useStatusChoices } from '../hooks/useStatusChoices'
import type { StatusChange, StatusCode } from '../api/tickets.api'
import type { UserRef } from '../api/config.api'
import { useFileDrop } from '../hooks/useFileDrop'
import { Icon } from '../../../ui/Icon'
import type RichEditorType from './RichEditor'
import type { RichEditorHandle, RichValue } from './RichEditor'
import { EMPTY_HOLD, OnHoldInputs, onHoldChange, type OnHoldValue } from './StatusChangeForms'

// The editor is its own chunk, asked for as soon as the ticket page's code runs (not in the console's
// first load). Until it arrives a plain text box takes the keys; a draft begun there is finished
// there (swapping boxes mid-typing could drop keys), and the next message gets the rich editor.
type RichEditorComponent = typeof RichEditorType
let loadedEditor: RichEditorComponent | null = null
const loadEditor = (): Promise<RichEditorComponent> => import('./RichEditor').then((m) => (loadedEditor = m.default))
let editorChunk = loadEditor()
editorChunk.catch(() => { editorChunk = loadEditor() })

export type ComposerMode = 'reply' | 'note'
export interface ComposerHandle { focus: (mode: ComposerMode) => void }
/** An image shown inline through a local URL until the send uploads it. */
export interface InlineImage { url: string; file: File }
export interface ComposerSend {
  body: string; bodyHtml?: string; internal: boolean; files: File[]; inlineImages: InlineImage[]; mentions: string[]
  /** The status on send, whole (on_hold carries its third party). */
  status?: StatusChange
}

interface Props {
  allowNote: boolean
  allowStatus: boolean
  currentStatus: StatusCode
  /** The ticket's own status key when it is a custom status (customStatus.key). */
  currentStatusKey?: string
  /** The ticket's `allowedStatuses` (the detail's); when given, only those are offered on send. */
  allowedStatuses?: string[]
  agents: UserRef[]
  onSend: (s: ComposerSend) => Promise<void>
  onTyping?: (typing: boolean) => void
}

const EMPTY: RichValue = { html: '', text: '', empty: true, mentions: [] }

/**
 * Reply or internal note: the note mode changes colour, label and icon so it is never mistaken for a
 * reply. Rich text (RichEditor), status on send, files by picker, drag or paste (images inline),
 * @mentions of agents, Ctrl/Cmd+Enter sends.
 */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer({ allowNote, allowStatus, currentStatus, currentStatusKey, allowedStatuses, agents, onSend, onTyping }, ref) {
  const { t } = useTranslation()
  const [mode, setMode] = useState<ComposerMode>('reply')
  const [value, setValue] = useState<RichValue>(EMPTY)
  const [plain, setPlain] = useState('')
  const [status, setStatus] = useState<string>('')
  const { choices, codeLabel, codeOf } = useStatusChoices()
  const currentKey = currentStatusKey ?? currentStatus
  const currentLabel = choices.find((c) => c.key === currentKey)?.label ?? codeLabel(currentStatus)
  // A status that maps to on hold (built-in or custom) asks for the third party unless the ticket is already on hold.
  const holdNeeded = (key: string) => !!key && codeOf(key) === 'on_hold' && currentStatus !== 'on_hold'
  const [hold, setHold] = useState<OnHoldValue>(EMPTY_HOLD)
  const [holdMissing, setHoldMissing] = useState(false)
  const [files, setFiles] = useState<File[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const inline = useRef(new Map<string, File>())
  const editor = useRef<RichEditorHandle>(null)
  const fallback = useRef<HTMLTextAreaElement>(null)
  const fallbackFocused = useRef(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const sendRef = useRef<() => void>(() => {})
  const drop = useFileDrop((f) => setFiles((old) => [...old, ...f]))
  const [RichEditor, setRichEditor] = useState<RichEditorComponent | null>(() => loadedEditor)
  useEffect(() => {
    if (RichEditor) return
    let live = true
    void editorChunk.then((c) => { if (live) setRichEditor(() => c) }, () => {})
    return () => { live = false }
  }, [RichEditor])

  useImperativeHandle(ref, () => ({
    // Focus at once (not on a timer): the keys typed right after the shortcut must land in the text.
    focus: (m) => {
      if (m === 'note' && !allowNote) return
      setMode(m)
      if (editor.current) editor.current.focus()
      else fallback.current?.focus()
    },
  }), [allowNote])

  useEffect(() => () => { for (const url of inline.current.keys()) URL.revokeObjectURL(url) }, [])

  const reset = () => {
    for (const url of inline.current.keys()) URL.revokeObjectURL(url)
    inline.current.clear()
    setValue(EMPTY)
    setPlain('')
    setFiles([])
    setStatus('')
    setHold(EMPTY_HOLD)
    setHoldMissing(false)
    editor.current?.clear()
  }

  const send = async () => {
    const text = editor.current ? value.text : plain.trim()
    const empty = editor.current ? value.empty : !text
    if (empty && !files.length) { setError(t('composer.empty')); return }
    // On hold needs its third party: asked here, before anything is uploaded or sent.
    const onHold = holdNeeded(status)
    const held = onHold ? onHoldChange(hold) : null
    const change: StatusChange | null = onHold ? (held ? { ...held, status } : null) : status ? { status } : null
    if (status && !change) { setHoldMissing(true); setError(null); document.getElementById('composer-hold-party')?.focus(); return }
    setBusy(true)
    setError(null)
    try {
      const html = editor.current ? value.html : undefined
      await onSend({
        body: text, bodyHtml: html, internal: mode === 'note', status: change ?? undefined, files,
        // Only the images still in the text (one deleted after pasting is not uploaded).
        inlineImages: html ? [...inline.current].filter(([url]) => html.includes(url)).map(([url, file]) => ({ url, file })) : [],
        mentions: editor.current ? value.mentions : [],
      })
      reset()
      onTyping?.(false)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  sendRef.current = () => { if (!busy) void send() }

  const isNote = mode === 'note'
  const label = isNote ? t('composer.note') : t('composer.reply')
  const placeholder = isNote ? t('composer.notePlaceholder') : t('composer.replyPlaceholder')
  const plainBox = (
    <textarea id="composer-body" ref={fallback} value={plain} placeholder={placeholder} aria-label={label}
      onFocus={() => { fallbackFocused.current = true }} onBlur={() => { fallbackFocused.current = false }}
      onChange={(e) => { setPlain(e.target.value); onTyping?.(e.target.value.length > 0) }}
      onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); sendRef.current() } }} />
  )
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
      {RichEditor && !plain ? (
        <RichEditor id="composer-body" label={label} placeholder={placeholder} agents={agents} handle={editor}
          autoFocus={fallbackFocused.current}
          onChange={(v) => { setValue(v); onTyping?.(!v.empty) }}
          onSubmit={() => sendRef.current()}
          onFiles={(f) => setFiles((old) => [...old, ...f])}
          onImage={(file) => { const url = URL.createObjectURL(file); inline.current.set(url, file); return url }} />
      ) : plainBox}
      {files.length ? (
        <ul className="file-list" aria-label={t('composer.files')}>
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`} className="row"><Icon name="clip" /> {f.name} <Button size="sm" variant="ghost" onClick={() => setFiles(files.filter((_, j) => j !== i))} aria-label={t('composer.removeFile', { name: f.name })}>×</Button></li>
          ))}
        </ul>
      ) : null}
      <div className="row-between">
        <div className="row">
          <input ref={fileInput} type="file" multiple hidden data-testid="composer-files" onChange={(e) => { setFiles([...files, ...(e.target.files ? [...e.target.files] : [])]); e.target.value = '' }} />
          <Button size="sm" onClick={() => fileInput.current?.click()}>{t('composer.attach')}</Button>
          <span className="muted small">{t('composer.dropHint')}</span>
        </div>
        <div className="row">
          {allowStatus ? (
            <label className="inline-label small">{t('composer.statusOnSend')}
              <select value={status} onChange={(e) => { setStatus(e.target.value); setHoldMissing(false) }}>
                <option value="">{t('composer.keepStatus', { status: currentLabel })}</option>
                {choices.filter((c) => c.code !== 'new' && c.code !== 'cancelled' && c.key !== currentKey
                  && (c.code === currentStatus || !allowedStatuses || allowedStatuses.includes(c.code))).map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
              </select>
            </label>
          ) : null}
          {allowStatus && holdNeeded(status) ? (
            <OnHoldInputs idPrefix="composer-hold" inline value={hold} error={holdMissing ? t('statusChange.thirdPartyRequired') : null}
              onChange={(v) => { setHold(v); if (v.thirdParty.trim()) setHoldMissing(false) }} />
          ) : null}
          <Button variant="primary" busy={busy} onClick={() => sendRef.current()} title={t('composer.sendKeys')}>
            {isNote ? t('composer.sendNote') : t('composer.sendReply')}
          </Button>
        </div>
      </div>
    </section>
  )
})
