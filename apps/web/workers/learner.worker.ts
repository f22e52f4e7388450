/**
 * Runs the learner's compiled program in a Web Worker: no DOM, no cookies, no access to
 * the page. Its only way out is postMessage: client ops go to the page, which forwards
 * them over the lab WebSocket and enforces the time and message budget (it terminates
 * this worker when either runs out).
 */
import * as client from '@kil/client';
import { KafkaClientError, type ClientOp, type PropertyFile, type Transport } from '@kil/client';
import type { FromWorker, ToWorker } from './learner-protocol';

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  __kilClient?: typeof client;
};
scope.__kilClient = client;

let nextId = 1;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

const transport: Transport = {
  request(op: ClientOp, args) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      scope.postMessage({ t: 'request', id, op, args: JSON.parse(JSON.stringify(args)) as Record<string, unknown> });
    });
  },
};

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const log = (...values: unknown[]) => scope.postMessage({ t: 'log', text: values.map(format).join(' ') });

async function run(code: string, properties: readonly PropertyFile[]): Promise<void> {
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  try {
    const module = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url)) as { default?: unknown };
    if (typeof module.default !== 'function') throw new Error('Your program needs `export default async function main(kafka, log) { ... }`.');
    // Topic files are altered on the lab and producer/consumer files become the client's defaults.
    const kafka = properties.length > 0 ? await new client.Kafka(transport).withProperties(properties, log) : new client.Kafka(transport);
    await (module.default as (kafka: client.Kafka, log: client.Log) => Promise<void>)(kafka, log);
    scope.postMessage({ t: 'done', error: null });
  } catch (error) {
    scope.postMessage({ t: 'done', error: format(error) });
  } finally {
    URL.revokeObjectURL(url);
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.t === 'run') void run(message.code, message.properties ?? []);
  else if (message.t === 'response') {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (!waiter) return;
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new KafkaClientError(message.error));
  }
};
