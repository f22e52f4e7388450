import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { progressStoreContract } from './contract';
import { openProgressStore } from './index';

const dataDir = mkdtempSync(path.join(tmpdir(), 'kil-progress-'));
progressStoreContract('SQLite', () => openProgressStore({ dataDir }));
