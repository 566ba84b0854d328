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
  allowedStyles: {
    '*': Object.fromEntries(
      STYLE_PROPERTIES.map((p) => [p, p === 'display' ? [DISPLAY_VALUE] : [SAFE_CSS_VALUE]]),
    ),
  },
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

function transformImage(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const { src: rawSrc, 'data-src': _ignored, ...rest } = attribs
  const src = (rawSrc ?? '').trim()
  if (/^https?:\/\//i.test(src)) return { ...rest, src: BLOCKED_IMAGE_PLACEHOLDER, 'data-src': src }
  if (/^cid:/i.test(src) || SAFE_DATA_IMAGE.test(src)) return { ...rest, src }
  return rest
}
