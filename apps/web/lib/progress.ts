/**
 * Server-side access to progress, accounts and the exercise catalogue for route handlers
 * and server components. The custom server (server.ts) opens the store once and installs
 * it here; pages and routes only see types from the packages, so nothing with native
 * code is bundled by Next.
 */
import type { Account, CohortMemberProgress, ProgressStore, Role } from '@kil/progress';
import type { PublicExercise } from '@kil/grader';

export interface SiteHost {
  readonly store: ProgressStore;
  /** The session id of a signed `kil_session` cookie value, or null. */
  verifySession(cookieValue: string | undefined): string | null;
  /** A fresh signed session: its id and the Set-Cookie header value. */
  newSession(): { id: string; setCookie: string };
  hashPassword(password: string): Promise<string>;
  verifyPassword(password: string, stored: string): Promise<boolean>;
  readonly exercises: readonly PublicExercise[];
  /** Emails that get the instructor role when they sign up (INSTRUCTOR_EMAILS). */
  readonly instructorEmails: ReadonlySet<string>;
  /** The instructor export (RFC 4180, formula-safe). */
  cohortCsv(members: readonly CohortMemberProgress[]): string;
  /** Source text of an exercise's starter/ or solution/ main.ts. */
  exerciseFile(exerciseId: string, which: 'starter' | 'solution'): string | null;
}

const hostKey = Symbol.for('kafka-internals-lab.site-host');
type HostSlot = { [hostKey]?: SiteHost };

export function installSiteHost(host: SiteHost): void {
  (globalThis as HostSlot)[hostKey] = host;
}

export function siteHost(): SiteHost | null {
  return (globalThis as HostSlot)[hostKey] ?? null;
}

export const sessionCookieName = 'kil_session';

export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * CSRF defence for state-changing requests: the browser's Origin (or, failing that,
 * Sec-Fetch-Site) must say the request came from our own pages. The session cookie is
 * SameSite=Lax as well, but this check does not rely on it.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  const host = request.headers.get('host');
  if (origin) {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

export interface Visitor {
  readonly host: SiteHost;
  readonly learnerId: string | null;
  readonly account: Account | null;
}

/** The visitor of a request or page: their learner id (session) and account, if any. */
export async function visitor(cookieHeaderOrValue: { header?: string | null; value?: string }): Promise<Visitor | null> {
  const host = siteHost();
  if (!host) return null;
  const raw = cookieHeaderOrValue.value ?? cookieValue(cookieHeaderOrValue.header ?? null, sessionCookieName);
  const sessionId = host.verifySession(raw);
  if (!sessionId) return { host, learnerId: null, account: null };
  const learnerId = await host.store.ensureLearner(sessionId, Date.now());
  return { host, learnerId, account: await host.store.accountForLearner(learnerId) };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });
}

/** A failed request with a sentence for the learner and what to do instead. */
export function problem(status: number, message: string, suggestion?: string): Response {
  return json(suggestion ? { error: message, suggestion } : { error: message }, status);
}

export function roleFor(email: string, host: SiteHost): Role {
  return host.instructorEmails.has(email.trim().toLowerCase()) ? 'instructor' : 'learner';
}

/**
 * A small in-memory limiter for password attempts, keyed by email and by client address:
 * enough to stop guessing through one server; a fleet needs a shared store.
 */
const attempts = new Map<string, { count: number; resetMs: number }>();
export const loginAttemptsMax = 10;
const windowMs = 15 * 60_000;

export function allowAttempt(key: string, nowMs = Date.now()): boolean {
  const entry = attempts.get(key);
  if (!entry || entry.resetMs <= nowMs) {
    if (attempts.size > 10_000) attempts.clear();
    attempts.set(key, { count: 1, resetMs: nowMs + windowMs });
    return true;
  }
  entry.count++;
  return entry.count <= loginAttemptsMax;
}

export async function readJson(request: Request, maxBytes = 8 * 1024): Promise<Record<string, unknown> | null> {
  const text = await request.text();
  if (text.length > maxBytes) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
