/** The part of a reply a person wrote, and what was cut off below it. */
export interface StrippedReply {
  visible: string
  removed: string
}

/** Lines we put above our notifications' text; anything below them is our own mail quoted back. */
export const REPLY_ABOVE_MARKERS = [
  '##- Escriba su respuesta arriba de esta línea -##',
  '##- Please type your reply above this line -##',
]

// "On Mon, 5 Jan 2024 … wrote:", "El lun, 5 ene 2024 … escribió:" (Yahoo: "En jueves, …"), and the same in a few other languages.
const ATTRIBUTION_START = /^\s*(?:on|el|en|le|am|il|em|op|den)\s/i
const ATTRIBUTION_END =
  /(?:wrote|writes|escribió|escribio|ha escrito|a écrit|schrieb|ha scritto|escreveu|schreef|skrev)\s*:\s*$/i
// Outlook's header block: "De:/From:" followed by at least two of Enviado/Sent/Fecha/Date/Para/To/Asunto/Subject.
const OUTLOOK_FROM = /^\s*\*?(?:de|from|von|da)\s*:\*?\s*\S/i
const OUTLOOK_FIELD =
  /^\s*\*?(?:enviado(?: el)?|sent|fecha|date|para|to|asunto|subject|cc|gesendet|an|betreff|envoyé|objet|à)\s*:/i
const SEPARATOR_LINE =
  /^\s*-{2,}\s*(?:original message|mensaje original|message d'origine|ursprüngliche nachricht|messaggio originale|mensagem original)\s*-{2,}\s*$/i
// A forwarded message is the content of the request, not history: nothing below it is cut.
const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*(?:forwarded message|mensaje reenviado|message transféré|weitergeleitete nachricht)\s*-{2,}|(?:begin forwarded message|inicio del mensaje reenviado)\s*:)\s*$/i
const UNDERSCORE_RULE = /^\s*_{10,}\s*$/
// A line that only closes a message ("Saludos", "Gracias.", "Best regards,"): not an answer by itself.
const CLOSING = /^\s*(?:saludos(?: cordiales)?|un saludo|atentamente|gracias|muchas gracias|quedo atent[oa]|cordialmente|regards|best regards|kind regards|thanks|thank you|cheers)[\s,.!]*$/i
const SIGNATURE_DELIMITER = /^-- $/
// "--" alone, as clients that trim trailing spaces write the delimiter; pasted logs have it too.
const BARE_DELIMITER = /^--$/
// A signature is a few lines: longer text after a bare "--" is content.
const SIGNATURE_LINES = 8
/** "RV: …", "Fwd: …" (not "RE: RV: …", a reply): the message is a forward, whose quoted part is the request itself. */
const FORWARD_SUBJECT = /^\s*(?:rv|fw|fwd|tr|wg|reenv(?:ío|io)?)\s*:/i
const MOBILE_SIGNATURE =
  /^\s*(?:(?:enviado|sent|envoyé|gesendet)\s+(?:desde|from|de|von)\s+(?:mi|my|mon|meinem)\s+\S.{0,60}|(?:enviado desde|sent from)\s+(?:outlook|correo|mail|yahoo|gmail).{0,40}|(?:obtener|get)\s+outlook\s+(?:para|for)\s+(?:ios|android).{0,20})\s*$/i

/**
 * Cuts quoted history and signatures from a plain-text reply: attribution lines ("El … escribió:",
 * "On … wrote:", also wrapped over up to three lines), Outlook header blocks ("De: / Enviado: /
 * Para: / Asunto:" and "From: / Sent:"), "-----Mensaje original-----" separators, our own
 * "reply above this line" marker, the "-- " signature delimiter (a bare "--" when a few lines at
 * most follow) and an "Enviado desde mi iPhone" line that ends the text. Nothing below a
 * forwarded-message marker is cut, and nothing at all of a forward (`subject` "RV: …", "Fwd: …"). Lines starting with ">" are dropped wherever they are; answers written below or
 * between quotes are kept, without the attribution line above the quote. When nothing of the
 * writer's own is left (a reply that is only a photo: "Enviado desde mi iPhone" above the quote),
 * `visible` is empty and everything is in `removed`; the caller decides what to show then.
 */
export function stripQuotedText(text: string, opts: { subject?: string } = {}): StrippedReply {
  if (opts.subject !== undefined && isForwardSubject(opts.subject)) return { visible: tidy(text.replace(/\r\n?/g, '\n')), removed: '' }
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const { cut, skipped } = findCut(lines)
  const kept = lines.slice(0, cut).filter((line, i) => !/^\s*>/.test(line) && !skipped.has(i))
  const visible = tidy(kept.join('\n'))
  if (!visible) return { visible: '', removed: tidy(text.replace(/\r\n?/g, '\n')) }
  return { visible, removed: lines.slice(cut).join('\n').trim() }
}

/**
 * Index of the first line that starts quoted history or a signature (lines.length when none), and
 * the attribution lines of answers written below or between quotes ("El … escribió:", "> pregunta",
 * then the answer), which are dropped while the text below them stays.
 */
function findCut(lines: string[]): { cut: number; skipped: Set<number> } {
  const skipped = new Set<number>()
  const cutAt = (cut: number) => ({ cut, skipped })
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (FORWARD_MARKER.test(line)) return cutAt(lines.length)
    if (REPLY_ABOVE_MARKERS.some((m) => line.includes(m))) return cutAt(i)
    if (SEPARATOR_LINE.test(line) || SIGNATURE_DELIMITER.test(line)) return cutAt(i)
    if (BARE_DELIMITER.test(line) && signatureLength(lines, i + 1) <= SIGNATURE_LINES) return cutAt(i)
    // "Enviado desde mi iPhone" ends what was written: only blank lines or quoted history may follow.
    if (MOBILE_SIGNATURE.test(line) && historyOrNothingFrom(lines, i + 1)) return cutAt(i)
    const attribution = attributionLength(lines, i)
    if (attribution) {
      if (!answeredBelow(lines, i + attribution)) return cutAt(i)
      for (let j = i; j < i + attribution; j++) skipped.add(j)
      i += attribution - 1
      continue
    }
    if (isOutlookBlock(lines, i)) return cutAt(i > 0 && UNDERSCORE_RULE.test(lines[i - 1]) ? i - 1 : i)
  }
  return cutAt(lines.length)
}

/**
 * Whether the attribution's quote (">" lines right below it) is followed by new text of the
 * writer's own before any other history: a reply written below the quote (bottom-posting) or
 * between its lines. A closing alone ("Saludos") does not count, nor does a signature.
 */
function answeredBelow(lines: string[], from: number): boolean {
  let j = from
  while (j < lines.length && !lines[j].trim()) j++
  if (j >= lines.length || !/^\s*>/.test(lines[j])) return false
  for (; j < lines.length; j++) {
    const line = lines[j]
    if (/^\s*>/.test(line) || !line.trim()) continue
    if (startsHistory(lines, j) || SIGNATURE_DELIMITER.test(line) || BARE_DELIMITER.test(line) || MOBILE_SIGNATURE.test(line)) return false
    if (!CLOSING.test(line)) return true
  }
  return false
}

/** Whether a subject says the message forwards another one ("RV:", "Fwd:"). */
export function isForwardSubject(subject: string): boolean {
  return FORWARD_SUBJECT.test(subject)
}

/** Non-blank lines from `from` up to quoted history or the end. */
function signatureLength(lines: string[], from: number): number {
  let n = 0
  for (let j = from; j < lines.length && !startsHistory(lines, j); j++) if (lines[j].trim()) n++
  return n
}

/** Whether the lines from `from` on are blank up to quoted history or the end. */
function historyOrNothingFrom(lines: string[], from: number): boolean {
  for (let j = from; j < lines.length; j++) {
    if (startsHistory(lines, j)) return true
    if (lines[j].trim()) return false
  }
  return true
}

function startsHistory(lines: string[], j: number): boolean {
  const line = lines[j]
  return /^\s*>/.test(line) || SEPARATOR_LINE.test(line) || UNDERSCORE_RULE.test(line) || REPLY_ABOVE_MARKERS.some((m) => line.includes(m))
    || isAttribution(lines, j) || isOutlookBlock(lines, j)
}

/** Whether one line of text (already joined) reads as "On … wrote:" / "El … escribió:". */
export function looksLikeAttribution(text: string): boolean {
  const line = text.replace(/\s+/g, ' ').trim()
  if (line.length > 400) return false
  return (ATTRIBUTION_START.test(line) && ATTRIBUTION_END.test(line)) || /^\s*\S.{0,200}@.{0,100}(?:wrote|escribió)\s*:\s*$/i.test(line)
}

function isAttribution(lines: string[], i: number): boolean {
  return attributionLength(lines, i) > 0
}

/** How many lines the attribution starting at line i takes (wrapped ones up to three); 0 when none starts there. */
function attributionLength(lines: string[], i: number): number {
  const line = lines[i]
  if (ATTRIBUTION_START.test(line)) {
    // Gmail and Thunderbird wrap long attributions: join up to three lines.
    let joined = ''
    for (let j = i; j < Math.min(i + 3, lines.length); j++) {
      if (j > i && lines[j].trim() === '') break
      joined += (j > i ? ' ' : '') + lines[j].trim()
      if (ATTRIBUTION_END.test(joined)) return joined.length <= 400 ? j - i + 1 : 0
    }
  }
  // Some clients write only the name and address: "Juan Pérez <juan@x.mx> escribió:".
  return /^\s*\S.{0,200}@.{0,100}(?:wrote|escribió)\s*:\s*$/i.test(line) ? 1 : 0
}

function isOutlookBlock(lines: string[], i: number): boolean {
  if (!OUTLOOK_FROM.test(lines[i])) return false
  let fields = 0
  for (let j = i + 1; j < Math.min(i + 7, lines.length); j++) {
    if (OUTLOOK_FIELD.test(lines[j])) fields++
    else if (lines[j].trim() !== '') break
  }
  return fields >= 2
}

/** Trims trailing spaces and runs of blank lines. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
