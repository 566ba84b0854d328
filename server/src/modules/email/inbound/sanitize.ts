import { parse as parseCss } from 'postcss'
import sanitizeHtml from 'sanitize-html'

/** A 1×1 transparent GIF shown where a remote image was blocked; the original URL stays in data-src. */
export const BLOCKED_IMAGE_PLACEHOLDER =
  'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'

const TAGS = [
  'a', 'abbr', 'b', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup',
  'dd', 'del', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
  'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub',
  'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
]

const CELL = ['align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'bgcolor']

// A CSS value with no functions that fetch or compute (url(), expression(), image-set(), var()…),
// no escapes and no comments, so nothing can smuggle a request or a script through a style.
const SAFE_CSS_VALUE = /^(?![\s\S]*(?:url|expression|image|image-set|var|attr|env|element|src)\s*\()[#\w\s.,%'"+\-()/!]*$/i
const STYLE_PROPERTIES = [
  'color', 'background-color', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant',
  'text-align', 'text-decoration', 'text-indent', 'text-transform', 'line-height', 'letter-spacing',
  'white-space', 'vertical-align', 'width', 'max-width', 'min-width', 'height', 'margin', 'margin-top',
  'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right',
  'padding-bottom', 'padding-left', 'border', 'border-top', 'border-right', 'border-bottom', 'border-left',
  'border-color', 'border-style', 'border-width', 'border-collapse', 'border-spacing', 'border-radius',
  'list-style-type', 'direction', 'display',
]
const DISPLAY_VALUE = /^(block|inline|inline-block|table|table-row|table-cell|list-item|none)$/i

const ALLOWED_STYLES: Record<string, RegExp> = Object.fromEntries(STYLE_PROPERTIES.map((p) => [p, p === 'display' ? DISPLAY_VALUE : SAFE_CSS_VALUE]))

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]+$/i

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height', 'data-src'],
    font: ['color', 'size', 'face'],
    table: ['width', 'border', 'cellpadding', 'cellspacing', 'align', 'bgcolor'],
    td: CELL,
    th: CELL,
    tr: ['align', 'valign', 'bgcolor'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type'],
    blockquote: ['cite'],
    '*': ['style', 'dir', 'lang', 'align', 'title'],
  },
  // Styles are filtered by allowedStyle (transformTags '*'), not by sanitize-html's allowedStyles.
  parseStyleAttributes: false,
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xml', 'svg', 'math'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
    }),
    img: (tagName, attribs) => ({ tagName, attribs: transformImage(attribs) }),
    '*': (tagName, attribs) => ({ tagName, attribs: withAllowedStyle(attribs) }),
  },
}

/**
 * Cleans an email's HTML with an allowlist before anyone sees it: no scripts, event handlers,
 * forms, frames, embedded objects, `javascript:` links or CSS that loads anything. Remote
 * (http/https) images are not loaded: their URL moves to `data-src` and `src` becomes
 * BLOCKED_IMAGE_PLACEHOLDER, so the viewer can offer to load them. `cid:` images are kept for
 * rewriteCidReferences.
 */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim()
}

function withAllowedStyle(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  if (attribs.style === undefined) return attribs
  const out = { ...attribs } // the attributes keep their order
  const allowed = allowedStyle(attribs.style)
  if (allowed) out.style = allowed
  else delete out.style
  return out
}

const allowedStyles = new Map<string, string>()
const MAX_REMEMBERED_STYLES = 5_000
// Longer styles are filtered every time: a sender cannot fill memory with huge unique ones.
const MAX_REMEMBERED_STYLE_LENGTH = 1_000

/**
 * A style attribute with only the allowed properties whose values are safe, as sanitize-html's
 * `allowedStyles` would give it (postcss reads the declarations; only the first rule counts; a
 * style postcss cannot read is dropped). Mail clients repeat the same few styles on every
 * paragraph and cell, and parsing each with postcss was the largest part of sanitizing a
 * message's HTML, so each distinct style is filtered once and remembered.
 */
function allowedStyle(style: string): string {
  if (style.length > MAX_REMEMBERED_STYLE_LENGTH) return filterStyle(style)
  let allowed = allowedStyles.get(style)
  if (allowed === undefined) {
    allowed = filterStyle(style)
    if (allowedStyles.size >= MAX_REMEMBERED_STYLES) allowedStyles.clear()
    allowedStyles.set(style, allowed)
  }
  return allowed
}

function filterStyle(style: string): string {
  try {
    const rule = parseCss(`x {${style}}`, { map: false }).nodes[0]
    if (rule?.type !== 'rule') return ''
    return rule.nodes
      .flatMap((d) => (d.type === 'decl' && Object.hasOwn(ALLOWED_STYLES, d.prop) && ALLOWED_STYLES[d.prop].test(d.value)
        ? [`${d.prop}:${d.value}${d.important ? ' !important' : ''}`] : []))
      .join(';')
  } catch {
    return ''
  }
}

function transformImage(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const { src: rawSrc, 'data-src': _ignored, ...rest } = attribs
  const src = (rawSrc ?? '').trim()
  if (/^https?:\/\//i.test(src)) return { ...rest, src: BLOCKED_IMAGE_PLACEHOLDER, 'data-src': src }
  if (/^cid:/i.test(src) || SAFE_DATA_IMAGE.test(src)) return { ...rest, src }
  return rest
}
