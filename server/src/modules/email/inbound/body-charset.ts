import { isUtf8 } from 'node:buffer'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Joiner, Rewriter, Splitter, type MimeNode } from '@zone-eu/mailsplit'
import { decodeWindows1252 } from '../../../../../common/src/windows-1252'

/**
 * Repairs text parts whose bytes are not UTF-8 although they declare no charset, or declare
 * us-ascii or utf-8: scripts, monitoring systems and old clients send Spanish text in Latin-1 or
 * Windows-1252 that way, and mailparser reads such bytes as UTF-8 ("d\uFFFDas" for "días"). Each
 * such part is transcoded from Windows-1252 (a superset of Latin-1's printable range) and marked
 * utf-8; parts that are UTF-8 (even damaged), other charsets and attachments are left as they are.
 * Rewrites the MIME structure with mailsplit (mailparser's own splitter), so only call it when a
 * first parse showed replacement characters: `repaired` is false when no part needed it.
 */
export async function repairBodyCharset(raw: Buffer): Promise<{ raw: Buffer; repaired: boolean }> {
  let repaired = false
  const rewriter = new Rewriter((node: MimeNode) => undeclaredText(node))
  rewriter.on('node', ({ node, decoder, encoder }: { node: MimeNode; decoder: NodeJS.ReadWriteStream; encoder: NodeJS.ReadWriteStream }) => {
    const chunks: Buffer[] = []
    decoder.on('data', (chunk: Buffer) => chunks.push(chunk))
    decoder.on('end', () => {
      const bytes = Buffer.concat(chunks)
      if (isUtf8(bytes) || holdsUtf8Text(bytes) || !couldBeWindows1252(bytes)) {
        encoder.end(bytes)
        return
      }
      repaired = true
      node.setCharset('utf-8')
      encoder.end(Buffer.from(decodeWindows1252(bytes), 'utf8'))
    })
  })
  const out: Buffer[] = []
  const joiner = new Joiner()
  joiner.on('data', (chunk: Buffer) => out.push(chunk))
  await pipeline(Readable.from([raw]), new Splitter(), rewriter, joiner)
  return repaired ? { raw: Buffer.concat(out), repaired } : { raw, repaired }
}

/**
 * Whether bytes that are not all valid UTF-8 still hold UTF-8 text (a damaged UTF-8 message):
 * some multi-byte sequence decodes to a character. Latin-1 text practically never forms one.
 */
function holdsUtf8Text(bytes: Buffer): boolean {
  for (const c of bytes.toString('utf8')) if (c > '\u007f' && c !== '\ufffd') return true
  return false
}

/** Windows-1252 leaves five bytes undefined: text holding one is something else (or garbage). */
const couldBeWindows1252 = (bytes: Buffer) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].some((b) => bytes.includes(b))

/** A text body part (not an attachment) that declares no charset, or one that cannot hold 8-bit text as sent. */
function undeclaredText(node: MimeNode): boolean {
  if (node.contentType !== 'text/plain' && node.contentType !== 'text/html' && !(node.root && !node.contentType)) return false
  if (node.disposition === 'attachment') return false
  const charset = (node.charset || '').toLowerCase().replace(/[^a-z0-9]/g, '')
  return ['', 'usascii', 'ascii', 'utf8'].includes(charset)
}
