/** Windows-1252's characters for bytes 0x80–0x9F (the five it leaves undefined stay as they are). */
const HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'
const C1 = /[\u0080-\u009f]/g

/**
 * Replaces C1 control characters (U+0080–U+009F) with the Windows-1252 characters of the same
 * byte. Nobody writes those controls in text: they appear when Windows-1252 was read as ISO-8859-1
 * (mail that says iso-8859-1 but uses «–», «€» or curly quotes, as browsers assume too).
 */
export function mapC1ToWindows1252(text: string): string {
  return text.replace(C1, (c) => HIGH[c.charCodeAt(0) - 0x80])
}

/**
 * Decodes Windows-1252 bytes (what Spanish Windows and Excel write; a superset of Latin-1's
 * printable range). Node 20's TextDecoder treats the label as ISO-8859-1 and returns control
 * characters for 0x80–0x9F, so those are mapped; browsers decode them already.
 */
export function decodeWindows1252(bytes: ArrayBuffer | Uint8Array): string {
  return mapC1ToWindows1252(new TextDecoder('windows-1252').decode(bytes))
}
