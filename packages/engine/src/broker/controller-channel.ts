/**
 * A broker's channel to the active controller (Kafka's NodeToControllerChannelManager).
 * The broker learns which controller is active from the metadata quorum (the quorum
 * leader); a request that reaches a standby comes back NOT_CONTROLLER and is retried
 * against the new leader after controller.quorum.retry.backoff.ms, until its own timeout.
 */
import { KafkaError } from '../errors';
import type { ControllerMessage, ControllerRequestBody, ControllerResponse, ResponseFor } from '../controller/messages';

export interface ChannelHost {
  nowMs(): number;
  send(to: number, message: ControllerMessage): void;
  armTimer(name: string, atMs: number): void;
  /** The active controller as this broker knows it, or null during an election. */
  controllerId(): number | null;
  readonly retryBackoffMs: number;
  readonly requestTimeoutMs: number;
}

interface Pending {
  readonly body: ControllerRequestBody;
  readonly deadlineMs: number;
  nextAttemptMs: number;
  /** Correlation id of the latest attempt; answers to older attempts are ignored. */
  attempt: number;
  readonly callback: (response: unknown, error: KafkaError | null) => void;
}

export const CHANNEL_TIMER = 'controller-channel';

export class ControllerChannel {
  private readonly pending = new Map<number, Pending>();
  private correlationId = 0;

  constructor(private readonly host: ChannelHost) {}

  send<R extends ControllerRequestBody>(body: R, timeoutMs: number, callback: (response: ResponseFor<R> | null, error: KafkaError | null) => void): void {
    const now = this.host.nowMs();
    const entry: Pending = { body, deadlineMs: now + timeoutMs, nextAttemptMs: now, attempt: 0, callback: callback as Pending['callback'] };
    this.pending.set(++this.correlationId, entry);
    this.attempt(entry);
    this.arm();
  }

  handleResponse(response: ControllerResponse): void {
    const found = [...this.pending.entries()].find(([, p]) => p.attempt === response.correlationId);
    if (found === undefined) return;
    const [key, entry] = found;
    if (response.errorCode === 'NOT_CONTROLLER' || response.body === null) {
      entry.nextAttemptMs = this.host.nowMs() + this.host.retryBackoffMs;
      this.arm();
      return;
    }
    this.pending.delete(key);
    entry.callback(response.body, null);
  }

  onTimer(): void {
    const now = this.host.nowMs();
    for (const [key, entry] of [...this.pending]) {
      if (now >= entry.deadlineMs) {
        this.pending.delete(key);
        entry.callback(null, new KafkaError('REQUEST_TIMED_OUT', `The controller did not answer ${entry.body.api} in time.`, 'The controller quorum may be electing a leader or unreachable; try again.'));
      } else if (now >= entry.nextAttemptMs) {
        this.attempt(entry);
      }
    }
    this.arm();
  }

  /** Drops every pending request without answering (the broker process is gone). */
  clear(): void {
    this.pending.clear();
  }

  private attempt(entry: Pending): void {
    const controller = this.host.controllerId();
    const now = this.host.nowMs();
    if (controller === null) {
      entry.nextAttemptMs = now + this.host.retryBackoffMs;
      return;
    }
    entry.attempt = ++this.correlationId;
    // Without an answer within the request timeout, send again (the message may be lost).
    entry.nextAttemptMs = now + this.host.requestTimeoutMs;
    this.host.send(controller, { kind: 'ControllerRequest', correlationId: entry.attempt, body: entry.body });
  }

  private arm(): void {
    let next: number | null = null;
    for (const entry of this.pending.values()) {
      const at = Math.min(entry.nextAttemptMs, entry.deadlineMs);
      next = next === null ? at : Math.min(next, at);
    }
    if (next !== null) this.host.armTimer(CHANNEL_TIMER, next);
  }
}
