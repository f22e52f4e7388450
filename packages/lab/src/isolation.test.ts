/**
 * Isolation and hardening, end to end: a real LabGateway on an HTTP server bound to an
 * ephemeral port, real `ws` clients, real labs. Every attack is made by one learner and
 * every test then proves, with a second learner's lab, that nobody else noticed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveGateway } from './gateway-test-server';
import { LabGateway } from './gateway';
import { defaultLabLimits } from './limits';
import { LabManager } from './manager';
import { clientMessageBytesMax, type ServerMessage } from './protocol';
import { SessionSigner, sessionCookieName } from './session';

const signer = new SessionSigner('isolation-test-secret-isolation-test-secret');
let closeServer: () => Promise<void>;
let manager: LabManager;
let gateway: LabGateway;
let origin: string;

beforeAll(async () => {
  manager = new LabManager({ labsMax: 20 });
  gateway = new LabGateway({ manager, signer, shapeFor: () => ({ brokers: 3, controllers: 1 }) });
  ({ origin, close: closeServer } = await serveGateway(gateway));
});

afterAll(async () => {
  gateway.close();
  manager.dispose();
  await closeServer();
});

/** A learner: a signed cookie as the site hands out on the first GET. */
function learner(): { id: string; cookie: string } {
  const id = signer.newId();
  return { id, cookie: `${sessionCookieName}=${signer.sign(id)}` };
}

function socket(cookie: string | null, from: string | null = origin): WebSocket {
  const headers: Record<string, string> = {};
  if (cookie !== null) headers.cookie = cookie;
  if (from !== null) headers.origin = from;
  return new WebSocket(`${origin.replace('http', 'ws')}/lab/ws?shape=sandbox`, { headers });
}

/** The HTTP status of a refused upgrade. */
function refusedWith(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

function closeCode(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

/** An open lab connection with a log of what the server sent. */
class Page {
  readonly messages: ServerMessage[] = [];
  private nextId = 1;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as ServerMessage));
  }

  static async open(cookie: string): Promise<Page> {
    const page = new Page(socket(cookie));
    await page.until((m) => m.t === 'hello');
    return page;
  }

  until<T extends ServerMessage>(match: (m: ServerMessage) => m is T): Promise<T>;
  until(match: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  until(match: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const found = this.messages.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error('no such message')), 15_000);
      const onMessage = () => {
        const hit = this.messages.find(match);
        if (!hit) return;
        clearTimeout(timer);
        this.ws.off('message', onMessage);
        resolve(hit);
      };
      this.ws.on('message', onMessage);
    });
  }

  /** Run a terminal line; resolves with its exit code and the output it printed. */
  async run(line: string): Promise<{ code: number; output: string }> {
    const id = this.nextId++;
    const from = this.messages.length;
    this.ws.send(JSON.stringify({ t: 'exec', id, line }));
    const done = await this.until((m): m is Extract<ServerMessage, { t: 'done' }> => m.t === 'done' && m.id === id);
    const output = this.messages.slice(from).map((m) => (m.t === 'out' ? m.text : '')).join('');
    return { code: done.code, output };
  }

  async client(op: string, args: Record<string, unknown>): Promise<Extract<ServerMessage, { t: 'client-result' }>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'client', id, op, args }));
    return this.until((m): m is Extract<ServerMessage, { t: 'client-result' }> => m.t === 'client-result' && m.id === id);
  }

  labId(): string {
    const hello = this.messages.find((m) => m.t === 'hello');
    return hello?.t === 'hello' ? hello.lab.labId : '';
  }

  close(): void {
    this.ws.close();
  }
}

const list = 'kafka-topics --bootstrap-server localhost:9092 --list';
const createTopic = (name: string, partitions = 1) => `kafka-topics --bootstrap-server localhost:9092 --create --topic ${name} --partitions ${partitions} --replication-factor 1`;

/** The bystander: a second learner whose lab must keep answering whatever the first one does. */
let bystander: { cookie: string; page: Page };
beforeAll(async () => {
  const { cookie } = learner();
  const page = await Page.open(cookie);
  expect((await page.run(createTopic('bystander-topic'))).code).toBe(0);
  bystander = { cookie, page };
});

async function bystanderUnaffected(): Promise<void> {
  const { code, output } = await bystander.page.run(list);
  expect(code).toBe(0);
  expect(output.split('\n')).toContain('bystander-topic');
}

describe('reaching another learner’s lab', () => {
  it('refuses a missing, guessed, edited or foreign-signed session cookie with 401', async () => {
    const victim = learner();
    const victimPage = await Page.open(victim.cookie);
    expect((await victimPage.run(createTopic('victim-secret'))).code).toBe(0);
    const [, mac] = signer.sign(victim.id).split('.');
    const attempts = [
      null,
      `${sessionCookieName}=${victim.id}`,
      `${sessionCookieName}=${signer.newId()}.${mac}`,
      `${sessionCookieName}=${victim.id}.${(mac ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
      `${sessionCookieName}=${victim.id.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}.${mac}`,
      `${sessionCookieName}=${new SessionSigner('another-server-secret-another-server-secret').sign(victim.id)}`,
      `${sessionCookieName}=${'A'.repeat(22)}.${'A'.repeat(43)}`,
    ];
    for (const cookie of attempts) expect(await refusedWith(socket(cookie))).toBe(401);
    // The victim's lab is untouched and still only theirs.
    expect((await victimPage.run(list)).output).toContain('victim-secret');
    victimPage.close();
    await bystanderUnaffected();
  });

  it('gives each session its own lab: names and topics never cross', async () => {
    const a = await Page.open(learner().cookie);
    const b = await Page.open(learner().cookie);
    expect(a.labId()).not.toBe(b.labId());
    expect((await a.run(createTopic('only-in-a'))).code).toBe(0);
    expect((await b.run(list)).output).not.toContain('only-in-a');
    expect((await bystander.page.run(list)).output).not.toContain('only-in-a');
    a.close();
    b.close();
  });

  it('refuses a cross-origin or origin-less WebSocket with 403, even with a valid cookie', async () => {
    const { cookie } = learner();
    expect(await refusedWith(socket(cookie, 'http://evil.example'))).toBe(403);
    expect(await refusedWith(socket(cookie, 'null'))).toBe(403);
    expect(await refusedWith(socket(cookie, null))).toBe(403);
    expect(await refusedWith(socket(bystander.cookie, `${origin}.evil.example`))).toBe(403);
    await bystanderUnaffected();
  });

  it('bounds open sockets per session', async () => {
    const { cookie } = learner();
    const pages = await Promise.all(Array.from({ length: 8 }, () => Page.open(cookie)));
    const ninth = socket(cookie);
    expect(await closeCode(ninth)).toMatchObject({ code: 1008 });
    for (const page of pages) page.close();
    await bystanderUnaffected();
  });
});

describe('bad frames close only the sender’s socket', () => {
  const cases: [string, (ws: WebSocket) => void, number][] = [
    ['an oversized frame', (ws) => ws.send('x'.repeat(clientMessageBytesMax + 1)), 1009],
    ['a frame that is not JSON', (ws) => ws.send('{"t":"exec",'), 1008],
    ['an unknown message type', (ws) => ws.send(JSON.stringify({ t: 'become-admin' })), 1008],
    ['a field of the wrong type', (ws) => ws.send(JSON.stringify({ t: 'exec', id: 'one', line: 'help' })), 1008],
    ['an over-long terminal line', (ws) => ws.send(JSON.stringify({ t: 'exec', id: 1, line: 'a'.repeat(5000) })), 1008],
    ['a binary frame', (ws) => ws.send(Buffer.from([1, 2, 3])), 1003],
  ];
  for (const [what, send, expected] of cases) {
    it(`${what} → close ${expected}; the lab lives on`, async () => {
      const { cookie } = learner();
      const page = await Page.open(cookie);
      expect((await page.run(createTopic('kept'))).code).toBe(0);
      const closed = closeCode(page.ws);
      send(page.ws);
      expect((await closed).code).toBe(expected);
      const again = await Page.open(cookie);
      expect(again.labId()).toBe(page.labId());
      expect((await again.run(list)).output).toContain('kept');
      again.close();
      await bystanderUnaffected();
    });
  }
});

describe('floods and unbounded requests are refused with a clear message', () => {
  it('a command flood closes the socket with 1008 and the lab answers on a new one', async () => {
    const { cookie } = learner();
    const page = await Page.open(cookie);
    const closed = closeCode(page.ws);
    for (let i = 0; i < 200; i++) page.ws.send(JSON.stringify({ t: 'ping' }));
    expect(await closed).toMatchObject({ code: 1008, reason: expect.stringContaining('slow down') });
    const again = await Page.open(cookie);
    expect((await again.run('help')).code).toBe(0);
    again.close();
    await bystanderUnaffected();
  });

  it('only one command runs at a time per lab', async () => {
    const page = await Page.open(learner().cookie);
    expect((await page.run(createTopic('quiet'))).code).toBe(0);
    page.ws.send(JSON.stringify({ t: 'exec', id: 900, line: 'kafka-console-consumer --bootstrap-server localhost:9092 --topic quiet' }));
    const second = await page.run(list);
    expect(second.code).toBe(1);
    expect(second.output).toContain('still running');
    page.ws.send(JSON.stringify({ t: 'interrupt' }));
    await page.until((m) => m.t === 'done' && m.id === 900);
    expect((await page.run(list)).code).toBe(0);
    page.close();
  });

  it(`creating topics without end stops at ${defaultLabLimits.topicsMax} with POLICY_VIOLATION`, async () => {
    const page = await Page.open(learner().cookie);
    const codes: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const topics = Array.from({ length: 10 }, (_, i) => ({ name: `t-${batch}-${i}`, numPartitions: 1, replicationFactor: 1 }));
      const reply = await page.client('createTopics', { topics });
      expect(reply.ok).toBe(true);
      if (reply.ok) codes.push(...(reply.value as { error: { code: string } | null }[]).map((r) => r.error?.code ?? 'NONE'));
    }
    expect(codes.filter((c) => c === 'NONE')).toHaveLength(defaultLabLimits.topicsMax);
    expect(codes.filter((c) => c === 'POLICY_VIOLATION')).toHaveLength(60 - defaultLabLimits.topicsMax);
    const refused = await page.run(createTopic('one-too-many'));
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`at most ${defaultLabLimits.topicsMax} topics`);
    // Still usable: describe works, and a delete makes room for a new topic.
    expect((await page.run('kafka-topics --bootstrap-server localhost:9092 --describe --topic t-0-0')).code).toBe(0);
    expect((await page.run('kafka-topics --bootstrap-server localhost:9092 --delete --topic t-0-0')).code).toBe(0);
    await expect.poll(async () => (await page.run(createTopic('room-again'))).code, { timeout: 10_000 }).toBe(0);
    page.close();
    await bystanderUnaffected();
  });

  it('refuses a topic wider than the per-topic partition bound, and partitions past the lab total', async () => {
    const page = await Page.open(learner().cookie);
    const wide = await page.run(createTopic('wide', defaultLabLimits.partitionsPerTopicMax + 1));
    expect(wide.code).toBe(1);
    expect(wide.output).toContain(`at most ${defaultLabLimits.partitionsPerTopicMax} partitions`);
    const perTopic = defaultLabLimits.partitionsPerTopicMax;
    const fits = Math.floor(defaultLabLimits.partitionsMax / perTopic);
    for (let i = 0; i < fits; i++) expect((await page.run(createTopic(`p${i}`, perTopic))).code).toBe(0);
    const over = await page.run(createTopic('over', perTopic));
    expect(over.code).toBe(1);
    expect(over.output).toContain(`at most ${defaultLabLimits.partitionsMax} partitions`);
    expect((await page.run(createTopic('small', 1))).code).toBe(0);
    page.close();
    await bystanderUnaffected();
  });

  it('a stream of writes from learner code is throttled with THROTTLING_QUOTA_EXCEEDED', async () => {
    const page = await Page.open(learner().cookie);
    expect((await page.run(createTopic('firehose'))).code).toBe(0);
    const records = Array.from({ length: 100 }, (_, i) => ({ key: null, value: `record ${i}` }));
    const quota = defaultLabLimits.produceRecordsPerSecondMax * defaultLabLimits.produceBurstS;
    const replies: Extract<ServerMessage, { t: 'client-result' }>[] = [];
    // Waves of 20 requests (under the 32 in flight a lab allows) until well past the burst.
    for (let wave = 0; wave < Math.ceil((2 * quota) / (20 * 100)); wave++) {
      replies.push(...(await Promise.all(Array.from({ length: 20 }, () => page.client('produce', { topic: 'firehose', partition: 0, acks: 1, records })))));
    }
    const refused = replies.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error));
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((e) => e?.code))).toEqual(new Set(['THROTTLING_QUOTA_EXCEEDED']));
    expect(refused[0]?.message).toContain(`at most ${defaultLabLimits.produceRecordsPerSecondMax} records`);
    expect(refused[0]?.suggestion).toBeTruthy();
    expect(replies.some((r) => r.ok)).toBe(true);
    // Reading what was written still works.
    const read = await page.run('kafka-console-consumer --bootstrap-server localhost:9092 --topic firehose --from-beginning --max-messages 3');
    expect(read.code).toBe(0);
    expect(read.output).toContain('record 0');
    page.close();
    await bystanderUnaffected();
  });

  it('the server still holds every lab it started, and the bystander never noticed', async () => {
    expect(manager.size).toBeGreaterThan(1);
    expect(bystander.page.ws.readyState).toBe(WebSocket.OPEN);
    await bystanderUnaffected();
  });
});
