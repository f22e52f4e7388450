import { describe, expect, it } from 'vitest';
import { parseCookies, sessionCookie, SessionSigner } from './session';

const signer = new SessionSigner('a-test-secret-that-is-long-enough-0123456789');

describe('SessionSigner', () => {
  it('verifies what it signed', () => {
    const id = signer.newId();
    expect(signer.verify(signer.sign(id))).toBe(id);
  });

  it('rejects forged, edited and foreign cookies', () => {
    const id = signer.newId();
    const cookie = signer.sign(id);
    const other = new SessionSigner('another-secret-that-is-long-enough-0123456789');
    expect(signer.verify(undefined)).toBeNull();
    expect(signer.verify('garbage')).toBeNull();
    expect(signer.verify(`${signer.newId()}${cookie.slice(22)}`)).toBeNull();
    expect(signer.verify(cookie.slice(0, -1))).toBeNull();
    expect(signer.verify(other.sign(id))).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => new SessionSigner('short')).toThrow('at least 32');
  });
});

describe('cookies', () => {
  it('parses a Cookie header and writes an HttpOnly cookie', () => {
    expect(parseCookies('a=1; kil_session=x.y; b=2').get('kil_session')).toBe('x.y');
    const header = sessionCookie('v', { secure: true, maxAgeS: 60 });
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Secure');
  });
});
