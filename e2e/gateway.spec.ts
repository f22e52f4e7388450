import { expect, test, type APIRequestContext } from '@playwright/test';
import WebSocket from 'ws';

const base = () => new URL(test.info().project.use.baseURL ?? 'http://localhost:3111');

async function sessionCookie(request: APIRequestContext): Promise<string> {
  const response = await request.get('/');
  const setCookie = response.headers()['set-cookie'] ?? '';
  const match = /kil_session=([^;]+)/.exec(setCookie);
  expect(match, 'the first visit sets a session cookie').not.toBeNull();
  return `kil_session=${match?.[1]}`;
}

function open(cookie: string | null, origin: string | null): WebSocket {
  const url = base();
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return new WebSocket(`ws://${url.host}/lab/ws?shape=sandbox`, { headers });
}

function refusal(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.on('close', (code) => resolve(code)));
}

function nextMessage(ws: WebSocket, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message.t === type) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
  });
}

test('the gateway refuses sockets without a valid session or from another origin', async ({ request }) => {
  const cookie = await sessionCookie(request);
  const origin = base().origin;
  expect(await refusal(open(null, origin))).toBe(401);
  expect(await refusal(open('kil_session=forged.value', origin))).toBe(401);
  expect(await refusal(open(cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), origin))).toBe(401);
  expect(await refusal(open(cookie, 'http://evil.example'))).toBe(403);
  expect(await refusal(open(cookie, null))).toBe(403);
});

test('malformed and oversized messages close only that socket; the lab lives on', async ({ request }) => {
  const cookie = await sessionCookie(request);
  const origin = base().origin;

  const garbage = open(cookie, origin);
  await nextMessage(garbage, 'hello');
  garbage.send('this is not json');
  expect(await closed(garbage)).toBe(1008);

  const unknown = open(cookie, origin);
  await nextMessage(unknown, 'hello');
  unknown.send(JSON.stringify({ t: 'rm -rf', line: 1 }));
  expect(await closed(unknown)).toBe(1008);

  const oversized = open(cookie, origin);
  await nextMessage(oversized, 'hello');
  oversized.send(JSON.stringify({ t: 'exec', id: 1, line: 'x'.repeat(64 * 1024) }));
  expect(await closed(oversized)).toBe(1009);

  const healthy = open(cookie, origin);
  await nextMessage(healthy, 'hello');
  const done = nextMessage(healthy, 'done');
  healthy.send(JSON.stringify({ t: 'exec', id: 7, line: 'kafka-topics --bootstrap-server localhost:9092 --list' }));
  expect((await done).code).toBe(0);
  healthy.close();
});

test('a flood of messages is cut off without harming the server', async ({ request }) => {
  const cookie = await sessionCookie(request);
  const flood = open(cookie, base().origin);
  await nextMessage(flood, 'hello');
  for (let i = 0; i < 500; i++) flood.send(JSON.stringify({ t: 'ping' }));
  expect(await closed(flood)).toBe(1008);
  const page = await request.get('/');
  expect(page.status()).toBe(200);
});
