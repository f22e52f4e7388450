/**
 * Several instances: two web instances of the built site behind nginx, sharing one
 * PostgreSQL for progress, with sticky WebSocket routing on the session cookie. Proves
 * that a learner's progress is the same through either instance, that a lab survives
 * while its instance lives (every connection through nginx reaches the same lab), and
 * that stopping one instance (SIGTERM) tells its learners and leaves their progress
 * reachable through the other. Loopback only; everything is stopped at the end.
 */
import { expect, test } from '@playwright/test';
import { terminalText, waitForPrompt } from './helpers';
import { LabSocket, newSession, startInstance, startNginx, startPostgres, type Instance, type Stoppable } from './scale-out-helpers';

test.describe.configure({ mode: 'serial' });

const secret = 'scale-out-secret-scale-out-secret-0123456';
let postgres: (Stoppable & { url: string }) | undefined;
const instances: Instance[] = [];
let nginx: (Stoppable & { url: string }) | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  postgres = startPostgres();
  const env = { DATABASE_URL: postgres.url, SESSION_SECRET: secret, TRUSTED_PROXIES: '127.0.0.1' };
  // One at a time: the first creates the schema, and two cold starts at once crowd two cores.
  instances.push(await startInstance(env));
  instances.push(await startInstance(env));
  nginx = await startNginx(instances.map((i) => i.port));
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  await nginx?.stop();
  await Promise.all(instances.map((i) => i.stop()));
  postgres?.stop();
});

const upstreamPort = (upstream: string | null) => Number(upstream?.split(':').at(-1));

async function progress(url: string, cookie: string): Promise<{ reads: { moduleSlug: string; reads: number }[]; quizzes: { moduleSlug: string; bestScore: number }[] }> {
  const response = await fetch(`${url}/api/progress`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as { reads: { moduleSlug: string; reads: number }[]; quizzes: { moduleSlug: string; bestScore: number }[] };
}

async function post(url: string, route: string, cookie: string, body: unknown): Promise<number> {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.status;
}

test("a learner's progress is the same through either instance and through nginx", async () => {
  const [a, b] = instances;
  if (!a || !b || !nginx) throw new Error('not started');
  const { cookie } = await newSession(a.url);
  expect(await post(a.url, '/api/progress/read', cookie, { moduleSlug: 'broker' })).toBe(200);
  expect(await post(b.url, '/api/progress/quiz', cookie, { moduleSlug: 'broker', score: 3, total: 4 })).toBe(200);
  for (const url of [a.url, b.url, nginx.url]) {
    const seen = await progress(url, cookie);
    expect(seen.reads.map((r) => [r.moduleSlug, r.reads])).toEqual([['broker', 1]]);
    expect(seen.quizzes.map((q) => [q.moduleSlug, q.bestScore])).toEqual([['broker', 3]]);
  }
});

/** Sessions through nginx until there is at least one learner on each instance. */
async function learnersOnEveryInstance(): Promise<Map<number, string>> {
  const byPort = new Map<number, string>();
  for (let i = 0; i < 24 && byPort.size < instances.length; i++) {
    const { cookie } = await newSession(nginx?.url ?? '');
    // The cookie decides the instance from now on; ask nginx which one it is.
    const answer = await fetch(`${nginx?.url}/api/progress`, { headers: { cookie } });
    const port = upstreamPort(answer.headers.get('x-upstream'));
    if (!byPort.has(port)) byPort.set(port, cookie);
  }
  expect([...byPort.keys()].sort()).toEqual(instances.map((i) => i.port).sort());
  return byPort;
}

let learners = new Map<number, string>();

test('a lab survives while its instance lives: every connection through nginx reaches the same lab', async () => {
  test.setTimeout(120_000);
  learners = await learnersOnEveryInstance();
  for (const [port, cookie] of learners) {
    const topic = `sticky-${port}`;
    const first = await LabSocket.open(nginx?.url ?? '', cookie);
    expect(await first.exec(`kafka-topics --bootstrap-server localhost:9092 --create --topic ${topic} --partitions 1 --replication-factor 1`)).toContain(`Created topic ${topic}`);
    first.close();
    await first.closed;
    // Three more page loads through nginx: each finds the topic, so each reached the same lab.
    for (let visit = 0; visit < 3; visit++) {
      const again = await LabSocket.open(nginx?.url ?? '', cookie);
      expect(await again.exec('kafka-topics --bootstrap-server localhost:9092 --list')).toContain(topic);
      again.close();
      await again.closed;
    }
    // The other instance, asked directly, has no lab with that topic: labs live in one process, which is why routing must be sticky.
    const other = instances.find((i) => i.port !== port);
    const elsewhere = await LabSocket.open(other?.url ?? '', cookie);
    expect(await elsewhere.exec('kafka-topics --bootstrap-server localhost:9092 --list')).not.toContain(topic);
    elsewhere.close();
  }
});

test('new sessions from one address are limited with 429 (client address from a trusted X-Forwarded-For)', async () => {
  const b = instances[1];
  if (!b) throw new Error('not started');
  const ask = () => fetch(`${b.url}/api/progress`, { headers: { 'x-forwarded-for': '192.0.2.77' } });
  // A documentation address, only ever written into a header: the instance trusts 127.0.0.1 as its proxy.
  // The default burst is 60 new sessions; a few more may refill (30 a minute) while the loop runs.
  let allowed = 0;
  let refused = await ask();
  while (refused.status === 200 && allowed < 100) {
    allowed++;
    refused = await ask();
  }
  expect(allowed).toBeGreaterThanOrEqual(60);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refused.text()).toMatch(/^Too many new sessions from your network address/);
  // Build assets need no session: the refused address still loads them, and they mint no cookie.
  const { cookie } = await newSession(b.url);
  const html = await (await fetch(`${b.url}/`, { headers: { cookie } })).text();
  const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
  expect(asset).toBeTruthy();
  const script = await fetch(`${b.url}${asset}`, { headers: { 'x-forwarded-for': '192.0.2.77' } });
  expect(script.status).toBe(200);
  expect(script.headers.get('set-cookie')).toBeNull();
  // Another address, and any learner who already has a cookie, are unaffected.
  expect((await fetch(`${b.url}/api/progress`, { headers: { 'x-forwarded-for': '192.0.2.78' } })).status).toBe(200);
});

test('SIGTERM on one instance tells its learners, exits 0, and its learners carry on through the other', async ({ page }) => {
  test.setTimeout(120_000);
  const [a] = instances;
  const cookie = learners.get(a?.port ?? 0);
  if (!a || !cookie || !nginx) throw new Error('not started');
  expect(await post(nginx.url, '/api/progress/read', cookie, { moduleSlug: 'replication' })).toBe(200);
  // The learner has the lab page open in a browser, and a second connection we read frames from.
  await page.context().addCookies([{ name: 'kil_session', value: cookie.slice('kil_session='.length), url: nginx.url }]);
  await page.goto(`${nginx.url}/lab`);
  await waitForPrompt(page);
  const open = await LabSocket.open(nginx.url, cookie);
  const code = a.terminate();
  expect(await open.closed).toEqual({ code: 1001, reason: 'server restarting' });
  expect(open.received()).toContainEqual({ t: 'error', message: expect.stringContaining('The lab server is restarting; your progress is saved') });
  expect(await code).toBe(0);
  expect(a.log()).toContain('shutdown: progress store closed');
  // The page printed the notice, reconnected by itself (now to the other instance) and is live again.
  await expect.poll(() => terminalText(page)).toContain('The lab server is restarting; your progress is saved');
  await expect(page.getByTestId('lab-status')).toHaveText('live');
  await expect(page.getByRole('status').filter({ hasText: 'restarting' })).toHaveCount(0);
  // nginx now sends this learner to the other instance: a new lab, the same progress.
  const seen = await progress(nginx.url, cookie);
  expect(seen.reads.map((r) => r.moduleSlug)).toEqual(['replication']);
  const moved = await LabSocket.open(nginx.url, cookie);
  expect(await moved.exec('kafka-topics --bootstrap-server localhost:9092 --list')).not.toContain(`sticky-${a.port}`);
  moved.close();
});
