/**
 * The account, progress and instructor routes against a real SQLite progress store:
 * sign-up merges anonymous progress and rotates the session, log-in checks the scrypt
 * hash, cross-site POSTs are refused, and only an instructor gets the cohort CSV.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cohortCsv, hashPassword, openProgressStore, verifyPassword, type ProgressStore } from '@kil/progress';
import { installSiteHost } from '../../lib/progress';
import { POST as signup } from './account/signup/route';
import { POST as login } from './account/login/route';
import { POST as logout } from './account/logout/route';
import { GET as me } from './account/me/route';
import { POST as joinCohort } from './account/cohort/route';
import { GET as progress } from './progress/route';
import { POST as quiz } from './progress/quiz/route';
import { POST as read } from './progress/read/route';
import { POST as createCohort } from './instructor/cohorts/route';
import { GET as csv } from './instructor/cohorts/[id]/csv/route';

const secret = 'test-secret';
const sign = (id: string) => `${id}.${createHmac('sha256', secret).update(id).digest('base64url')}`;
const newId = () => randomBytes(16).toString('base64url');
let store: ProgressStore;

beforeAll(async () => {
  store = await openProgressStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'kil-api-')) });
  installSiteHost({
    store,
    verifySession: (value) => {
      const id = value?.split('.')[0];
      return id && value === sign(id) ? id : null;
    },
    newSession: () => {
      const id = newId();
      return { id, setCookie: `kil_session=${sign(id)}; Path=/; HttpOnly; SameSite=Lax` };
    },
    hashPassword,
    verifyPassword,
    exercises: [],
    instructorEmails: new Set(['teacher@example.org']),
    exerciseFile: () => null,
    cohortCsv,
  });
});

function request(url: string, options: { cookie?: string; body?: unknown; origin?: string | null; method?: string } = {}): Request {
  const headers: Record<string, string> = { host: 'lab.example', 'content-type': 'application/json' };
  if (options.origin !== null) headers.origin = options.origin ?? 'http://lab.example';
  if (options.cookie) headers.cookie = `kil_session=${options.cookie}`;
  return new Request(`http://lab.example${url}`, { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

const cookieOf = (response: Response) => /kil_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';

describe('accounts', () => {
  it('signs up, keeps the anonymous progress, and rotates the session', async () => {
    const anon = newId();
    await store.ensureLearner(anon, 1);
    await store.recordCheck({ learnerId: anon, exerciseId: 'transactions', taskId: 'commit', passed: true, message: 'ok', atMs: 5 });
    const response = await signup(request('/api/account/signup', { cookie: sign(anon), body: { email: 'ada@example.org', password: 'correct horse', displayName: 'Ada' } }));
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toContain('HttpOnly');
    const fresh = cookieOf(response);
    expect(fresh).not.toBe(sign(anon));
    const body = (await (await progress(request('/api/progress', { cookie: fresh }))).json()) as { tasks: { taskId: string }[]; account: { email: string } };
    expect(body.account.email).toBe('ada@example.org');
    expect(body.tasks.map((t) => t.taskId)).toEqual(['commit']);
    const again = await signup(request('/api/account/signup', { cookie: fresh, body: { email: 'ADA@example.org', password: 'another one', displayName: 'x' } }));
    expect(again.status).toBe(409);
  });

  it('logs in only with the right password, from a new device too', async () => {
    const device = newId();
    const wrong = await login(request('/api/account/login', { cookie: sign(device), body: { email: 'ada@example.org', password: 'wrong horse' } }));
    expect(wrong.status).toBe(401);
    const right = await login(request('/api/account/login', { cookie: sign(device), body: { email: 'ada@example.org', password: 'correct horse' } }));
    expect(right.status).toBe(200);
    const who = (await (await me(request('/api/account/me', { cookie: cookieOf(right) }))).json()) as { account: { displayName: string } };
    expect(who.account.displayName).toBe('Ada');
    const body = (await (await progress(request('/api/progress', { cookie: cookieOf(right) }))).json()) as { tasks: unknown[] };
    expect(body.tasks).toHaveLength(1);
    const out = await logout(request('/api/account/logout', { cookie: cookieOf(right), body: {} }));
    const after = (await (await me(request('/api/account/me', { cookie: cookieOf(out) }))).json()) as { anonymous: boolean };
    expect(after.anonymous).toBe(true);
  });

  it('refuses cross-site posts', async () => {
    const response = await login(request('/api/account/login', { cookie: sign(newId()), origin: 'https://evil.example', body: { email: 'ada@example.org', password: 'correct horse' } }));
    expect(response.status).toBe(403);
    const noOrigin = await read(request('/api/progress/read', { cookie: sign(newId()), origin: null, body: { moduleSlug: 'broker' } }));
    expect(noOrigin.status).toBe(403);
  });
});

describe('progress', () => {
  it('records module reads and quiz scores, and completes a module on a good score', async () => {
    const session = sign(newId());
    expect((await read(request('/api/progress/read', { cookie: session, body: { moduleSlug: 'broker' } }))).status).toBe(200);
    expect((await quiz(request('/api/progress/quiz', { cookie: session, body: { moduleSlug: 'broker', score: 4, total: 5 } }))).status).toBe(200);
    expect((await quiz(request('/api/progress/quiz', { cookie: session, body: { moduleSlug: 'broker', score: 9, total: 5 } }))).status).toBe(400);
    const body = (await (await progress(request('/api/progress', { cookie: session }))).json()) as { reads: { moduleSlug: string }[]; quizzes: { bestScore: number }[]; modulesCompleted: string[] };
    expect(body.reads.map((r) => r.moduleSlug)).toEqual(['broker']);
    expect(body.quizzes.map((q) => q.bestScore)).toEqual([4]);
    expect(body.modulesCompleted).toEqual(['broker']);
  });
});

describe('instructors', () => {
  it('lets an instructor create a cohort and export it as CSV, and nobody else', async () => {
    const teacherSignup = await signup(request('/api/account/signup', { cookie: sign(newId()), body: { email: 'teacher@example.org', password: 'teach me please', displayName: 'Teacher' } }));
    const teacher = cookieOf(teacherSignup);
    const created = await createCohort(request('/api/instructor/cohorts', { cookie: teacher, body: { name: 'Autumn' } }));
    expect(created.status).toBe(201);
    const cohort = (await created.json()) as { id: string; joinCode: string };
    const student = cookieOf(await login(request('/api/account/login', { cookie: sign(newId()), body: { email: 'ada@example.org', password: 'correct horse' } })));
    expect((await joinCohort(request('/api/account/cohort', { cookie: student, body: { joinCode: cohort.joinCode } }))).status).toBe(200);
    expect((await createCohort(request('/api/instructor/cohorts', { cookie: student, body: { name: 'Mine' } }))).status).toBe(403);
    const exported = await csv(request(`/api/instructor/cohorts/${cohort.id}/csv`, { cookie: teacher }), { params: Promise.resolve({ id: cohort.id }) });
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const text = await exported.text();
    expect(text).toContain('ada@example.org,Ada,task,transactions/commit,passed');
    const denied = await csv(request(`/api/instructor/cohorts/${cohort.id}/csv`, { cookie: student }), { params: Promise.resolve({ id: cohort.id }) });
    expect(denied.status).toBe(403);
  });
});
