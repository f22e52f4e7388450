import { describe, expect, it } from 'vitest';
import { AddressRateLimiter, addressKey, clientAddress, rateLimitFrom, rateLimitMessage, refuseRateLimited } from './session-limits';

function clock(): { nowMs: () => number; advance(ms: number): void } {
  let now = 0;
  return { nowMs: () => now, advance: (ms) => void (now += ms) };
}

describe('AddressRateLimiter', () => {
  it('allows a burst, then refuses with a retry time, then refills at the rate', () => {
    const time = clock();
    const limiter = new AddressRateLimiter({ burst: 3, perMinute: 6 }, time.nowMs);
    expect([1, 2, 3].map(() => limiter.take('203.0.113.5').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('203.0.113.5');
    expect(refused).toEqual({ allowed: false, retryAfterS: 10 });
    time.advance(5_000);
    expect(limiter.take('203.0.113.5')).toEqual({ allowed: false, retryAfterS: 5 });
    time.advance(5_000);
    expect(limiter.take('203.0.113.5').allowed).toBe(true);
    expect(limiter.take('203.0.113.5').allowed).toBe(false);
    // A long pause refills only up to the burst.
    time.advance(3_600_000);
    expect([1, 2, 3, 4].map(() => limiter.take('203.0.113.5').allowed)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per address, so one address running out leaves others alone', () => {
    const limiter = new AddressRateLimiter({ burst: 1, perMinute: 1 }, clock().nowMs);
    expect(limiter.take('203.0.113.5').allowed).toBe(true);
    expect(limiter.take('203.0.113.5').allowed).toBe(false);
    expect(limiter.take('203.0.113.6').allowed).toBe(true);
    expect(limiter.take('::ffff:203.0.113.6').allowed).toBe(false);
  });

  it('limits an IPv6 client by its /64, not by each of its addresses', () => {
    const limiter = new AddressRateLimiter({ burst: 2, perMinute: 1 }, clock().nowMs);
    expect(limiter.take('2001:db8:1:2::1').allowed).toBe(true);
    expect(limiter.take('2001:db8:1:2:ffff:eeee:dddd:cccc').allowed).toBe(true);
    expect(limiter.take('2001:0db8:0001:0002::99').allowed).toBe(false);
    expect(limiter.take('2001:db8:1:3::1').allowed).toBe(true);
  });

  it('holds a bounded number of addresses however many ask', () => {
    const time = clock();
    const limiter = new AddressRateLimiter({ burst: 2, perMinute: 60 }, time.nowMs, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`198.51.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBeLessThanOrEqual(101);
    // The most recent address keeps its (spent) bucket.
    limiter.take('198.51.3.231');
    expect(limiter.take('198.51.3.231').allowed).toBe(false);
  });

  it('refuses nonsense limits', () => {
    expect(() => new AddressRateLimiter({ burst: 0, perMinute: 1 })).toThrow(/burst/);
    expect(() => rateLimitFrom('ten', undefined, { burst: 1, perMinute: 1 })).toThrow(/invalid rate limit/);
    expect(rateLimitFrom(undefined, '', { burst: 60, perMinute: 30 })).toEqual({ burst: 60, perMinute: 30 });
    expect(rateLimitFrom('5', '120', { burst: 60, perMinute: 30 })).toEqual({ burst: 5, perMinute: 120 });
  });
});

describe('addressKey and clientAddress', () => {
  it('normalises addresses to the key they are limited under', () => {
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:DB8::1')).toBe('2001:db8:0:0::/64');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only its last hop', () => {
    const request = (peer: string, forwarded?: string) => ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} });
    const proxies = new Set(['127.0.0.1']);
    expect(clientAddress(request('198.51.100.7', '192.0.2.9'), proxies)).toBe('198.51.100.7');
    expect(clientAddress(request('127.0.0.1', '192.0.2.9'), proxies)).toBe('192.0.2.9');
    // A client can prepend anything; the proxy appends the address it saw, which is the one used.
    expect(clientAddress(request('::ffff:127.0.0.1', '10.0.0.1, 192.0.2.9'), proxies)).toBe('192.0.2.9');
    expect(clientAddress(request('127.0.0.1'), proxies)).toBe('127.0.0.1');
  });

  it('answers a refused request with 429, Retry-After and a sentence', () => {
    const headers = new Map<string, string>();
    let body = '';
    const res = { statusCode: 200, setHeader: (n: string, v: string) => headers.set(n, v), end: (b: string) => void (body = b) };
    refuseRateLimited(res, 'sessions', 7);
    expect(res.statusCode).toBe(429);
    expect(headers.get('Retry-After')).toBe('7');
    expect(body).toBe(rateLimitMessage('sessions', 7));
    expect(body).toMatch(/Too many new sessions from your network address\. Try again in 7 s/);
  });
});
