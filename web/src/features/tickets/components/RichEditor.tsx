import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react'
import { Extension } from '@tiptap/core'
import { Selection } from '@tiptap/pm/state'
import StarterKit from '@tiptap/starter-kit'
import Image from '@tiptap/extension-image'
import Mention from '@tiptap/extension-mention'
import { Placeholder } from '@tiptap/extensions'
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion'
import type { UserRef } from '../api/config.api'
import { Icon } from '../../../ui/Icon'

/** What the composer needs from the editor after each change. */
export interface RichValue { html: string; text: string; empty: boolean; mentions: string[] }
export interface RichEditorHandle { focus: () => void; clear: () => void }

interface Props {
  id: string
  label: string
  placeholder: string
  /** Focus as soon as it is mounted (the plain box it replaces had the focus). */
  autoFocus?: boolean
  agents: UserRef[]
  handle: Ref<RichEditorHandle>
  onChange: (v: RichValue) => void
  onSubmit: () => void
  /** Files pasted or dropped that are not shown inline (documents…). */
  onFiles: (files: File[]) => void
  /** A pasted or dropped image: returns the local URL it is shown with until it is uploaded on send. */
  onImage: (file: File) => string
}

interface MentionState { items: UserRef[]; index: number; command: (a: { id: string; label: string }) => void }


type PmNode = Parameters<Parameters<Editor['state']['doc']['descendants']>[0]>[0]

/**
 * The plain text version (search, the text part of emails): lists keep "- " / "1. ", quotes "> ",
 * links their address, images their name.
 */
function plainText(node: PmNode, prefix = ''): string {
  const inline = (n: PmNode) => {
    let out = ''
    n.forEach((c) => {
      if (c.isText) {
        const link = c.marks.find((m) => m.type.name === 'link')
        const href = link ? String(link.attrs.href ?? '') : ''
        out += href && href !== c.text && !href.endsWith(`//${c.text}`) ? `${c.text} (${href})` : c.text ?? ''
      } else if (c.type.name === 'hardBreak') out += '\n'
      else if (c.type.name === 'mention') out += `@${c.attrs.label ?? ''}`
      else if (c.type.name === 'image') out += `[${c.attrs.alt || 'imagen'}]`
    })
    return out
  }
  const blocks: string[] = []
  node.forEach((b) => {
    const name = b.type.name
    if (name === 'bulletList' || name === 'orderedList') {
      let i = Number(b.attrs.start ?? 1)
      const items: string[] = []
      b.forEach((item) => { items.push(plainText(item, name === 'bulletList' ? '- ' : `${i++}. `)) })
      blocks.push(items.join('\n'))
    } else if (name === 'blockquote') blocks.push(plainText(b).split('\n').map((l) => `> ${l}`).join('\n'))
    else if (name === 'codeBlock') blocks.push(b.textContent)
    else if (b.isTextblock) blocks.push(inline(b))
    else blocks.push(plainText(b))
  })
  const text = blocks.join(prefix ? '\n' : '\n\n')
  return prefix ? prefix + text.split('\n').join(`\n${' '.repeat(prefix.length)}`) : text
}

function valueOf(editor: Editor): RichValue {
  const mentions: string[] = []
  let hasImage = false
  editor.state.doc.descendants((n) => {
    if (n.type.name === 'mention' && n.attrs.id && !mentions.includes(n.attrs.id)) mentions.push(n.attrs.id)
    if (n.type.name === 'image') hasImage = true
  })
  const text = plainText(editor.state.doc).replace(/\n{3,}/g, '\n\n').trim()
  const visible = editor.state.doc.textContent.trim()
  return { html: editor.getHTML(), text, empty: !visible && !hasImage && !mentions.length, mentions }
}

/** Pasted screenshots come as "image.png": give them a name that tells them apart. */
function named(f: File, i: number): File {
  return f.name && f.name !== 'image.png' ? f : new File([f], `captura-${Date.now()}-${i}.${f.type.split('/')[1] || 'png'}`, { type: f.type })
}

/**
 * The rich-text part of the reply composer (Tiptap on ProseMirror; loaded on demand so the console's
 * first load stays small): bold, italic, lists, quotes, code, links; images pasted or dropped are
 * shown inline, other files go to the attachment list; "@" suggests agents; Ctrl/Cmd+Enter sends.
 * Output: HTML the server sanitises with its allowlist, plus a plain text version.
 */
export default function RichEditor({ id, label, placeholder, autoFocus, agents, handle, onChange, onSubmit, onFiles, onImage }: Props) {
  const { t } = useTranslation()
  const [mention, setMention] = useState<MentionState | null>(null)
  const [linkOpen, setLinkOpen] = useState(false)
  const [linkUrl, setLinkUrl] = useState('')
  const [toolIndex, setToolIndex] = useState(0)
  const live = useRef({ agents, onChange, onSubmit, onFiles, onImage, mention, placeholder, label })
  live.current = { agents, onChange, onSubmit, onFiles, onImage, mention, placeholder, label }

  const editor = useEditor({
    immediatelyRender: true,
    content: '',
    extensions: [
      StarterKit.configure({
        heading: false, horizontalRule: false, underline: false,
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https', protocols: ['http', 'https', 'mailto', 'tel'] },
      }),
      Image.configure({ inline: true, allowBase64: false }),
      Placeholder.configure({ placeholder: () => live.current.placeholder }),
      // The server keeps <span class="mention" data-mention-id> (its sanitiser's allowlist).
      Mention.configure({
        renderHTML: ({ node }) => ['span', { class: 'mention', 'data-mention-id': node.attrs.id }, `@${node.attrs.label ?? ''}`],
        renderText: ({ node }) => `@${node.attrs.label ?? ''}`,
        suggestion: {
          char: '@',
          items: ({ query }) => {
            const q = query.toLowerCase()
            return live.current.agents.filter((a) => a.name.toLowerCase().includes(q) || (a.email ?? '').toLowerCase().startsWith(q)).slice(0, 6)
          },
          render: () => ({
            onStart: (p: SuggestionProps<UserRef, { id: string; label: string }>) => setMention({ items: p.items, index: 0, command: p.command }),
            onUpdate: (p: SuggestionProps<UserRef, { id: string; label: string }>) => setMention({ items: p.items, index: 0, command: p.command }),
            onExit: () => setMention(null),
            onKeyDown: ({ event }: SuggestionKeyDownProps) => {
              const m = live.current.mention
              if (!m || !m.items.length) return false
              if (event.key === 'ArrowDown') { setMention({ ...m, index: (m.index + 1) % m.items.length }); return true }
              if (event.key === 'ArrowUp') { setMention({ ...m, index: (m.index - 1 + m.items.length) % m.items.length }); return true }
              if (event.key === 'Enter' || event.key === 'Tab') { const a = m.items[m.index] ?? m.items[0]; m.command({ id: a.id, label: a.name }); return true }
              if (event.key === 'Escape') { setMention(null); return true }
              return false
            },
          }),
        },
      }),
      Extension.create({
        name: 'sendShortcut',
        addKeyboardShortcuts: () => ({ 'Mod-Enter': () => { live.current.onSubmit(); return true } }),
      }),
    ],
    editorProps: {
      // A function, so the name follows the mode and the mention list is tied to the box (combobox
      // pattern); ProseMirror re-applies these on every update.
      attributes: (): Record<string, string> => {
        const { label: name, mention: m } = live.current
        const open: Record<string, string> = m && m.items.length ? { 'aria-controls': `${id}-mentions`, 'aria-activedescendant': `${id}-mention-${m.items[m.index]?.id}` } : {}
        return { id, role: 'textbox', 'aria-multiline': 'true', 'aria-label': name, class: 'rich-input', spellcheck: 'true', ...open }
      },
      handlePaste: (view, event) => {
        const files = [...(event.clipboardData?.files ?? [])]
        if (!files.length) return false
        place(view.state.selection.from, files)
        return true
      },
      handleDrop: (view, event, _slice, moved) => {
        const files = moved ? [] : [...(event.dataTransfer?.files ?? [])]
        if (!files.length) return false
        const pos = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? view.state.selection.from
        place(pos, files)
        return true
      },
    },
    onUpdate: ({ editor: e }) => live.current.onChange(valueOf(e)),
  })

  // Images go inline at the caret (or where they were dropped); other files to the attachment list.
  function place(pos: number, files: File[]) {
    const all = files.map(named)
    const images = all.filter((f) => f.type.startsWith('image/'))
    const others = all.filter((f) => !f.type.startsWith('image/'))
    if (others.length) live.current.onFiles(others)
    if (images.length && editor) {
      editor.chain().focus().insertContentAt(pos, images.map((f) => ({ type: 'image', attrs: { src: live.current.onImage(f), alt: f.name } }))).run()
    }
  }

  // The view exists only once EditorContent has mounted it ("create" comes right after).
  const [ready, setReady] = useState(false)
  useEffect(() => {
    if (!editor) return
    const on = () => setReady(true)
    if (editor.isInitialized) on()
    editor.on('create', on)
    return () => { editor.off('create', on) }
  }, [editor])

  // Focus now, not on the next frame as Tiptap's focus command does: the keys typed right after a
  // shortcut ("r", "n") must land in the text, not on the page.
  const focusNow = () => {
    if (!editor || editor.isDestroyed) return
    try {
      editor.view.focus()
      editor.view.dispatch(editor.state.tr.setSelection(Selection.atEnd(editor.state.doc)).scrollIntoView())
    } catch { /* view not mounted yet */ }
  }

  useImperativeHandle(handle, () => ({
    focus: focusNow,
    clear: () => { editor?.commands.clearContent(true) },
  }), [editor])

  // In the same commit that removed the plain box: no key typed in between reaches the page (where
  // single keys are shortcuts). EditorContent has created the view in its own layout phase by now.
  useLayoutEffect(() => {
    if (autoFocus) focusNow()
  }, [editor]) // once, when mounted

  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false, italic: e?.isActive('italic') ?? false, strike: e?.isActive('strike') ?? false,
      bulletList: e?.isActive('bulletList') ?? false, orderedList: e?.isActive('orderedList') ?? false,
      blockquote: e?.isActive('blockquote') ?? false, code: e?.isActive('code') ?? false, codeBlock: e?.isActive('codeBlock') ?? false,
      link: e?.isActive('link') ?? false,
    }),
  })

  // Reply ↔ note (name, placeholder) and the mention list: a no-op transaction re-applies the attributes.
  useEffect(() => {
    if (!editor || !ready) return
    editor.view.dispatch(editor.state.tr.setMeta('addToHistory', false))
  }, [editor, ready, label, placeholder, mention])

  if (!editor) return null
  // WAI-ARIA toolbar: one Tab stop (the last tool used), arrows / Home / End move between tools.
  let toolCount = 0
  const tool = (name: keyof NonNullable<typeof active>, text: string, run: () => void, keys?: string) => {
    const index = toolCount++
    return (
      <button type="button" className="tool" aria-pressed={active?.[name] ?? false} title={keys ? `${text} (${keys})` : text}
        tabIndex={index === toolIndex ? 0 : -1} data-tool-index={index}
        onMouseDown={(e) => e.preventDefault()} onClick={() => { setToolIndex(index); run() }}>
        <span className={`tool-${name}`} aria-hidden="true">{TOOL_GLYPH[name]}</span><span className="sr-only">{text}</span>
      </button>
    )
  }
  const moveInToolbar = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-tool-index]')]
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
    if (at < 0) return
    const to = e.key === 'ArrowRight' ? (at + 1) % buttons.length : e.key === 'ArrowLeft' ? (at - 1 + buttons.length) % buttons.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : -1
    if (to < 0) return
    e.preventDefault()
    setToolIndex(to)
    buttons[to].focus()
  }
  const applyLink = () => {
    const url = linkUrl.trim()
    if (url) editor.chain().focus().extendMarkRange('link').setLink({ href: /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}` }).run()
    else editor.chain().focus().extendMarkRange('link').unsetLink().run()
    setLinkOpen(false)
    setLinkUrl('')
  }
  return (
    <div className="rich">
      <div className="rich-toolbar" role="toolbar" aria-label={t('composer.format.toolbar')} aria-controls={id} onKeyDown={moveInToolbar}>
        {tool('bold', t('composer.format.bold'), () => editor.chain().focus().toggleBold().run(), 'Ctrl+B')}
        {tool('italic', t('composer.format.italic'), () => editor.chain().focus().toggleItalic().run(), 'Ctrl+I')}
        {tool('strike', t('composer.format.strike'), () => editor.chain().focus().toggleStrike().run())}
        {tool('bulletList', t('composer.format.bulletList'), () => editor.chain().focus().toggleBulletList().run())}
        {tool('orderedList', t('composer.format.orderedList'), () => editor.chain().focus().toggleOrderedList().run())}
        {tool('blockquote', t('composer.format.quote'), () => editor.chain().focus().toggleBlockquote().run())}
        {tool('code', t('composer.format.code'), () => editor.chain().focus().toggleCode().run(), 'Ctrl+E')}
        {tool('codeBlock', t('composer.format.codeBlock'), () => editor.chain().focus().toggleCodeBlock().run())}
        {tool('link', t('composer.format.link'), () => { setLinkUrl(editor.getAttributes('link').href ?? ''); setLinkOpen((o) => !o) })}
      </div>
      {linkOpen ? (
        <div className="row rich-link">
          <label className="inline-label small" htmlFor={`${id}-link`}>{t('composer.format.linkUrl')}</label>
          <input id={`${id}-link`} type="url" value={linkUrl} autoFocus placeholder="https://"
            onChange={(e) => setLinkUrl(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); applyLink() } if (e.key === 'Escape') { setLinkOpen(false); editor.commands.focus() } }} />
          <button type="button" className="btn btn-sm btn-secondary" onClick={applyLink}>{t('composer.format.linkApply')}</button>
          {active?.link ? <button type="button" className="btn btn-sm btn-ghost" onClick={() => { setLinkUrl(''); editor.chain().focus().extendMarkRange('link').unsetLink().run(); setLinkOpen(false) }}>{t('composer.format.linkRemove')}</button> : null}
        </div>
      ) : null}
      <EditorContent editor={editor} />
      {mention?.items.length ? (
        <ul id={`${id}-mentions`} className="mention-list" role="listbox" aria-label={t('composer.mentions')}>
          {mention.items.map((a, i) => (
            <li key={a.id} id={`${id}-mention-${a.id}`} role="option" aria-selected={i === mention.index}
              onMouseDown={(e) => { e.preventDefault(); mention.command({ id: a.id, label: a.name }) }}>
              {a.name} <span className="muted small">{a.email}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

const TOOL_GLYPH: Record<string, ReactNode> = {
  bold: 'B', italic: 'I', strike: 'S', bulletList: <Icon name="list" />, orderedList: '1.', blockquote: <Icon name="quote" />, code: '</>', codeBlock: '{ }', link: <Icon name="link" />,
}
