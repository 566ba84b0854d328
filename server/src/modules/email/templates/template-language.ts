/**
 * A small, safe template language for notification emails, editable by admins:
 *   {{ ticket.number }}                 a value; HTML-escaped in the HTML version
 *   {{#if links.confirm}} … {{else}} … {{/if}}   optional sections, may nest
 *   {{#one auto_close_days}}día{{else}}días{{/one}}   a section for exactly 1 (singular), else the other
 * Nothing else: no code, no loops, no helpers, no partials. Values marked with trustedHtml()
 * by our code (e.g. a sanitised comment) go into the HTML version as they are.
 */

/** HTML that our code vouches for, with its plain-text twin for the text version. */
export class SafeHtml {
  constructor(readonly html: string, readonly text: string) {}
}

export function trustedHtml(html: string, text: string): SafeHtml {
  return new SafeHtml(html, text)
}

export type TemplateValue = string | number | boolean | null | undefined | SafeHtml | TemplateContext
export interface TemplateContext {
  [key: string]: TemplateValue
}

type Node =
  | { type: 'text'; value: string }
  | { type: 'var'; path: string }
  | { type: 'if'; test: Section; path: string; then: Node[]; else: Node[] }

/** `if`: the value is truthy; `one`: the value is the number 1 (singular wording). */
type Section = 'if' | 'one'
const SECTION = /^#(if|one)\s+(.*)$/
const SECTION_END = /^\/(if|one)$/

/** A template that cannot be parsed; `code` is stable for the API, `detail` names the culprit. */
export class TemplateError extends Error {
  constructor(readonly code: 'unclosed_tag' | 'unexpected_tag' | 'unclosed_if' | 'bad_expression', readonly detail: string) {
    super(`${code}: ${detail}`)
  }
}

const PATH = /^[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*$/

/** Parses a template; throws TemplateError. */
export function parseTemplate(source: string): Node[] {
  const root: Node[] = []
  const stack: { nodes: Node[]; node?: Extract<Node, { type: 'if' }>; inElse?: boolean }[] = [{ nodes: root }]
  let pos = 0
  while (pos < source.length) {
    const open = source.indexOf('{{', pos)
    const top = stack[stack.length - 1]
    if (open === -1) {
      top.nodes.push({ type: 'text', value: source.slice(pos) })
      break
    }
    if (open > pos) top.nodes.push({ type: 'text', value: source.slice(pos, open) })
    const close = source.indexOf('}}', open + 2)
    if (close === -1) throw new TemplateError('unclosed_tag', source.slice(open, open + 30))
    const tag = source.slice(open + 2, close).trim()
    pos = close + 2
    const section = SECTION.exec(tag)
    const end = SECTION_END.exec(tag)
    if (section) {
      const path = section[2].trim()
      if (!PATH.test(path)) throw new TemplateError('bad_expression', tag)
      const node: Extract<Node, { type: 'if' }> = { type: 'if', test: section[1] as Section, path, then: [], else: [] }
      top.nodes.push(node)
      stack.push({ nodes: node.then, node })
    } else if (tag === 'else') {
      if (!top.node || top.inElse) throw new TemplateError('unexpected_tag', tag)
      top.inElse = true
      top.nodes = top.node.else
    } else if (end) {
      if (!top.node || top.node.test !== end[1]) throw new TemplateError('unexpected_tag', tag)
      stack.pop()
    } else if (PATH.test(tag)) {
      top.nodes.push({ type: 'var', path: tag })
    } else {
      throw new TemplateError('bad_expression', tag)
    }
  }
  if (stack.length > 1) throw new TemplateError('unclosed_if', stack[stack.length - 1].node?.path ?? '')
  return root
}

/** Every variable a template uses (in values and conditions). */
export function templateVariables(nodes: Node[]): string[] {
  const out = new Set<string>()
  const walk = (list: Node[]) => {
    for (const n of list) {
      if (n.type === 'var') out.add(n.path)
      if (n.type === 'if') {
        out.add(n.path)
        walk(n.then)
        walk(n.else)
      }
    }
  }
  walk(nodes)
  return [...out]
}

/** One rendered piece: text to escape, or trusted HTML (with its text twin). */
export type Chunk = { kind: 'text'; value: string } | { kind: 'html'; value: SafeHtml }

/** Renders to chunks; missing values render as nothing. */
export function renderChunks(nodes: Node[], context: TemplateContext): Chunk[] {
  const out: Chunk[] = []
  for (const node of nodes) {
    if (node.type === 'text') out.push({ kind: 'text', value: node.value })
    else if (node.type === 'var') {
      const value = lookup(context, node.path)
      if (value instanceof SafeHtml) out.push({ kind: 'html', value })
      else if (value !== null && value !== undefined && typeof value !== 'object') out.push({ kind: 'text', value: String(value) })
    } else {
      const value = lookup(context, node.path)
      const shown = node.test === 'one' ? typeof value !== 'boolean' && Number(value) === 1 : truthy(value)
      out.push(...renderChunks(shown ? node.then : node.else, context))
    }
  }
  return out
}

/** Plain-text rendering (trusted HTML contributes its text twin). */
export function chunksToText(chunks: Chunk[]): string {
  return chunks.map((c) => (c.kind === 'text' ? c.value : c.value.text)).join('')
}

/**
 * HTML rendering: text is escaped, blank lines make paragraphs, line breaks <br>, URLs become
 * links; trusted HTML goes in as its own block.
 */
export function chunksToHtml(chunks: Chunk[]): string {
  let html = ''
  let text = ''
  const flush = () => {
    for (const para of text.split(/\n[ \t]*\n+/)) {
      if (para.trim()) html += `<p>${linkify(escapeHtml(para.trim())).replace(/\n/g, '<br>\n')}</p>\n`
    }
    text = ''
  }
  for (const chunk of chunks) {
    if (chunk.kind === 'text') text += chunk.value
    else {
      flush()
      html += `<div>${chunk.value.html}</div>\n`
    }
  }
  flush()
  return html.trim()
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g, (url) => `<a href="${url}">${url}</a>`)
}

function lookup(context: TemplateContext, path: string): TemplateValue {
  let value: TemplateValue = context
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || value instanceof SafeHtml || !Object.hasOwn(value, key)) return undefined
    value = value[key]
  }
  return value
}

function truthy(value: TemplateValue): boolean {
  if (value instanceof SafeHtml) return value.text.trim() !== '' || value.html.trim() !== ''
  return value !== null && value !== undefined && value !== false && value !== '' && value !== 0
}
