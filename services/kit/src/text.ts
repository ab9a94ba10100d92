/**
 * True when text holds a control character (C0 or DEL) other than those in `allowed`: e.g. '\t\n\r'
 * for a multi-line body, '\t' for a single line, '' for a name.
 */
export function hasControlChars(text: string, allowed = ''): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 || c === 0x7f) && !allowed.includes(text[i]!)) return true;
  }
  return false;
}

/**
 * The number of characters (Unicode code points) in text: an emoji or a rare CJK ideograph outside
 * the BMP is one character, though two UTF-16 code units (JavaScript's `length`).
 */
export function characterCount(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}
