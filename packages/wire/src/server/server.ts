/**
 * The Kafka TCP listener: a node:net server whose connections speak the Kafka protocol to a
 * set of request handlers. One WireServer serves one broker node; the integrator starts one
 * per broker and points each at the engine broker that owns it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { handledApiKeys } from './api-versions';
import { Connection, type ConnectionSettings } from './connection';
import {
  defaultConnectionsMaxIdleMs,
  defaultMaxInFlightRequestsPerConnection,
  defaultSocketRequestMaxBytes,
  type ConnectionInfo,
  type WireServerOptions,
} from './types';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export class WireServer {
  private readonly server: Server;
  private readonly settings: ConnectionSettings;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;

  constructor(options: WireServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 9092;
    this.settings = {
      handlers: options.handlers,
      advertisedApiKeys: handledApiKeys(options.handlers),
      socketRequestMaxBytes: options.socketRequestMaxBytes ?? defaultSocketRequestMaxBytes,
      connectionsMaxIdleMs: options.connectionsMaxIdleMs ?? defaultConnectionsMaxIdleMs,
      maxInFlightRequestsPerConnection: options.maxInFlightRequestsPerConnection ?? defaultMaxInFlightRequestsPerConnection,
      onError: options.onError ?? (() => undefined),
    };
    this.server = createServer((socket) => this.accept(socket));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts listening; resolves with the bound address (the real port when 0 was asked). */
  listen(): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.requestedPort, this.host, () => {
        this.server.off('error', reject);
        resolve(this.address());
      });
    });
  }

  address(): ListenAddress {
    const bound = this.server.address();
    if (bound === null || typeof bound === 'string') return { host: this.host, port: this.requestedPort };
    return { host: this.host, port: bound.port };
  }

  /** Stops accepting, drops every open connection, and resolves once the listener is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.destroy();
    });
  }

  private accept(socket: Socket): void {
    const info: ConnectionInfo = {
      connectionId: this.nextConnectionId++,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
    };
    const connection = new Connection(socket, info, this.settings);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }
}
