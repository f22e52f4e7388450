import { afterAll, beforeAll } from 'vitest';
import { progressStoreContract } from './contract';
import { openProgressStore } from './index';
import { startPgServer, type PgServer } from './pg-server';

let server: PgServer;
beforeAll(() => {
  server = startPgServer();
});
afterAll(() => server?.stop());

progressStoreContract('PostgreSQL', () => openProgressStore({ databaseUrl: server.url, dataDir: '' }));
