import sanitizeHtml from 'sanitize-html'
import { convert } from 'html-to-text'

const MAX_TEXT = 100_000

/** An img keeps data-src only when it is an http(s) address (never javascript:, data: or relative). */
function keepWebDataSrc(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { 'data-src': dataSrc, ...rest } = attribs
  return { tagName, attribs: dataSrc && /^https?:\/\/[^\s"'<>]+$/i.test(dataSrc.trim()) ? { ...rest, 'data-src': dataSrc.trim() } : rest }
}

const OPTIONS: sanitizeHtml.IOptions = {
  // div: mail clients (Gmail, Outlook on the web) write one line per <div>; without it the lines run together.
  allowedTags: ['a', 'b', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'hr', 'i', 'li', 'ol', 'p', 'pre',
    's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'u', 'ul', 'img'],
  allowedAttributes: {
    a: ['href', 'title'],
    // data-src: the address of a remote image the email sanitiser blocked (email/inbound/sanitize.ts), kept for "show images".
    img: ['src', 'alt', 'title', 'width', 'height', 'data-src'],
    span: ['data-mention-id', 'class'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  // Images only from our own attachments (relative URLs) or inline data; never a remote tracker.
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
    img: keepWebDataSrc,
  },
}
OPTIONS.allowedAttributes = { ...OPTIONS.allowedAttributes, a: ['href', 'title', 'rel', 'target'] }

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Plain text → safe HTML: paragraphs on blank lines, <br> on single line breaks. */
export function textToHtml(text: string): string {
  return text.trim().split(/\n{2,}/).filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('')
}

/** Sanitised HTML → readable plain text (for search, notifications, customers' email). */
export function htmlToText(html: string): string {
  return convert(html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { hideLinkHrefIfSameAsText: true } }] }).trim()
}

/**
 * A message body as stored: text + sanitised HTML. From HTML, the HTML is sanitised and the text
 * derived from it; from text alone, the HTML is the escaped text.
 */
export function prepareBody(input: { text?: string | null; html?: string | null }): { text: string; html: string } {
  if (input.html && input.html.trim()) {
    const html = sanitizeHtml(input.html, OPTIONS).trim()
    const text = (input.text?.trim() || htmlToText(html)).slice(0, MAX_TEXT)
    return { text, html }
  }
  const text = (input.text ?? '').trim().slice(0, MAX_TEXT)
  return { text, html: textToHtml(text) }
}
