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
