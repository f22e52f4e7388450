/**
 * UTF-8 for protocol strings. Most Kafka strings (topics, client ids, group ids) are short ASCII,
 * so a plain loop beats TextDecoder's call overhead there; anything else goes through the
 * platform codecs. Decoding is lenient (U+FFFD for bad sequences), as Kafka's own is.
 */
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();
const asciiLimitChars = 64;

export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= asciiLimitChars) {
    let text = '';
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number;
      if (byte >= 0x80) return decoder.decode(bytes.subarray(start, end));
      text += String.fromCharCode(byte);
    }
    return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Writes `text` at `at` when it is pure ASCII and returns its length, or -1 so the caller falls back. */
export function writeAscii(text: string, target: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return -1;
    target[at + i] = code;
  }
  return text.length;
}
