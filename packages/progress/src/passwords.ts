/** Password hashing with scrypt (N=16384, r=8, p=1), salted, compared in constant time. */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const keyBytes = 32;
export const passwordCharsMin = 8;
export const passwordCharsMax = 200;

export async function hashPassword(password: string): Promise<string> {
  if (password.length < passwordCharsMin || password.length > passwordCharsMax) {
    throw new RangeError(`A password needs ${passwordCharsMin} to ${passwordCharsMax} characters.`);
  }
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, keyBytes);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText || password.length > passwordCharsMax) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
