/**
 * Kafka prints a Uuid (topic ids, directory ids) as 22 characters of URL-safe base64 without
 * padding, and so do we: the string is what a learner sees in `kafka-topics --describe`, and a
 * string compares with `===` where a 16-byte array would not.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const valueOf = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) valueOf[alphabet.charCodeAt(i)] = i;

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
export const uuidBytes = 16;

/** Encodes 16 bytes as Kafka's 22-character form. */
export function uuidToString(bytes: Uint8Array, at = 0): string {
  let text = '';
  let bits = 0;
  let bitCount = 0;
  for (let i = 0; i < uuidBytes; i++) {
    bits = (bits << 8) | (bytes[at + i] as number);
    bitCount += 8;
    while (bitCount >= 6) {
      bitCount -= 6;
      text += alphabet[(bits >> bitCount) & 63];
    }
  }
  // 128 bits leave 2 over; they are the high bits of the last character.
  text += alphabet[(bits << (6 - bitCount)) & 63];
  return text;
}

/** Decodes Kafka's 22-character form into `target`; returns false when `text` is not one. */
export function uuidFromString(text: string, target: Uint8Array, at = 0): boolean {
  if (text.length !== 22) return false;
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (valueOf[code] as number) : -1;
    if (value < 0) return false;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      if (written < uuidBytes) target[at + written++] = (bits >> bitCount) & 0xff;
    }
  }
  // The last character carries 2 data bits; the 4 below them must be zero to be canonical.
  return (bits & ((1 << bitCount) - 1)) === 0 && written === uuidBytes;
}
