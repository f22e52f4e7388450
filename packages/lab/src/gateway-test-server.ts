/**
 * Test support: a lab gateway on a plain loopback HTTP server (no Next.js), as the gateway
 * tests need it. Not part of the package API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LabGateway } from './gateway';

export interface GatewayTestServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>`, the Origin pages of this server send. */
  readonly origin: string;
  close(): Promise<void>;
}

export async function serveGateway(gateway: LabGateway): Promise<GatewayTestServer> {
  const server = createServer((_req, res) => res.end('ok'));
  server.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
