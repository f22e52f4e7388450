/**
 * Signed session cookies. A learner is anonymous: the cookie carries a random id and an
 * HMAC-SHA256 over it, so a guessed or edited id is rejected rather than mapped to
 * someone else's lab.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const sessionCookieName = 'kil_session';
const idPattern = /^[A-Za-z0-9_-]{22}$/;

export class SessionSigner {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('session secret must be at least 32 characters');
  }

  newId(): string {
    return randomBytes(16).toString('base64url');
  }

  sign(id: string): string {
    return `${id}.${this.mac(id)}`;
  }

  /** The session id if `value` is a cookie we signed, else null. */
  verify(value: string | undefined): string | null {
    if (!value) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const id = value.slice(0, dot);
    if (!idPattern.test(id)) return null;
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.mac(id));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return id;
  }

  private mac(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, decodeURIComponent(value));
  }
  return cookies;
}

export function sessionCookie(value: string, options: { secure: boolean; maxAgeS: number }): string {
  const parts = [`${sessionCookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeS}`];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
