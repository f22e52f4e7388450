/**
 * How fast one network address may obtain new sessions and start new learners' labs.
 *
 * The site mints a signed session cookie for every request that arrives without one, and
 * every session may start labs; without a bound per address, one client that drops its
 * cookies could create sessions and labs until the server is full. A token bucket per
 * address allows a burst (a classroom behind one NAT address arriving at once) and then a
 * steady rate; a request over it is refused with 429 and a sentence saying when to retry.
 *
 * Addresses are grouped the way one client holds them: an IPv4 address on its own, an
 * IPv6 address by its /64 prefix (one host is commonly given a whole /64). Behind a
 * reverse proxy the client address is taken from X-Forwarded-For, but only when the
 * connection comes from a proxy named in `trustedProxies`; anyone else could write that
 * header themselves.
 */
import { isIPv6 } from 'node:net';

export interface AddressRateLimit {
  /** Tokens an address starts with and may save up to. */
  readonly burst: number;
  /** Tokens added per minute. */
  readonly perMinute: number;
}

/** New sessions per address: a class of 60 may arrive at once, then one every two seconds. */
export const defaultSessionRateLimit: AddressRateLimit = { burst: 60, perMinute: 30 };
/** First labs of a session per address (a session's further labs are bounded by LabManager). */
export const defaultNewLabRateLimit: AddressRateLimit = { burst: 60, perMinute: 30 };

export interface RateDecision {
  readonly allowed: boolean;
  /** Seconds until one token is back, when refused. */
  readonly retryAfterS: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** Token buckets keyed by client address, with a bounded number of addresses held. */
export class AddressRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;

  constructor(
    readonly limit: AddressRateLimit,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly addressesMax = 100_000,
  ) {
    if (!(limit.burst >= 1) || !(limit.perMinute > 0)) throw new Error('a rate limit needs burst >= 1 and perMinute > 0');
    this.ratePerMs = limit.perMinute / 60_000;
  }

  /** Take one token for `address`; refused (and nothing taken) when its bucket is empty. */
  take(address: string): RateDecision {
    const key = addressKey(address);
    const now = this.nowMs();
    const bucket = this.refilled(key, now);
    if (bucket.tokens < 1) return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000)) };
    bucket.tokens -= 1;
    // Re-inserting keeps the map in least-recently-used order for pruning.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.addressesMax) this.prune(now);
    return { allowed: true, retryAfterS: 0 };
  }

  /** Addresses currently held (a full bucket is the same as none and is dropped when pruning). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, lastMs: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.lastMs) * this.ratePerMs);
    bucket.lastMs = now;
    return bucket;
  }

  /** Drop buckets that have refilled; if that is not enough, the least recently used ones. */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.lastMs) * this.ratePerMs >= this.limit.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.addressesMax) break;
      this.buckets.delete(key);
    }
  }
}

/** The key an address is limited under: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The client's address for a request: the socket's peer, or, when that peer is a trusted
 * proxy, the last address the proxy appended to X-Forwarded-For.
 */
export function clientAddress(
  request: { readonly socket: { readonly remoteAddress?: string }; readonly headers: Readonly<Record<string, string | string[] | undefined>> },
  trustedProxies: ReadonlySet<string>,
): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (!trustedProxies.has(peer) && !trustedProxies.has(addressKey(peer))) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return forwarded.at(-1) ?? peer;
}

/** A rate limit from environment values (`SESSION_BURST`, `SESSION_RATE_PER_MINUTE` and the like), falling back to `fallback`. */
export function rateLimitFrom(burst: string | undefined, perMinute: string | undefined, fallback: AddressRateLimit): AddressRateLimit {
  const b = burst === undefined || burst === '' ? fallback.burst : Number(burst);
  const r = perMinute === undefined || perMinute === '' ? fallback.perMinute : Number(perMinute);
  if (!Number.isFinite(b) || b < 1 || !Number.isFinite(r) || r <= 0) {
    throw new Error(`invalid rate limit: burst ${burst}, per minute ${perMinute} (burst must be >= 1, rate > 0)`);
  }
  return { burst: b, perMinute: r };
}

/** The sentence a refused client reads. */
export function rateLimitMessage(what: 'sessions' | 'labs', retryAfterS: number): string {
  const noun = what === 'sessions' ? 'new sessions' : 'new labs';
  return `Too many ${noun} from your network address. Try again in ${retryAfterS} s; a browser that keeps its cookies is not affected.`;
}

/** Answer an HTTP request with 429, Retry-After and the sentence for a person. */
export function refuseRateLimited(
  res: { statusCode: number; setHeader(name: string, value: string): unknown; end(body: string): unknown },
  what: 'sessions' | 'labs',
  retryAfterS: number,
): void {
  res.statusCode = 429;
  res.setHeader('Retry-After', String(retryAfterS));
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(rateLimitMessage(what, retryAfterS));
}
