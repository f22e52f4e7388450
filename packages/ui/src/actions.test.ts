import { describe, expect, it } from 'vitest';
import { nodeActions, nodeIsUp, preferredElectionCommand, primaryNodeAction } from './actions';
import { activateOnKey, baseCss, formatMs } from './theme';

describe('actions', () => {
  it('offers stop and crash for a node that is up and start for one that is down', () => {
    expect(nodeActions('broker', 2, 'running').map((a) => a.command)).toEqual(['broker stop 2', 'broker crash 2']);
    expect(nodeActions('broker', 2, 'fenced').map((a) => a.command)).toEqual(['broker stop 2', 'broker crash 2']);
    expect(nodeActions('controller', 101, 'crashed').map((a) => a.command)).toEqual(['controller start 101']);
    expect(primaryNodeAction('broker', 3, 'stopped').command).toBe('broker start 3');
    expect(nodeIsUp('starting')).toBe(true);
  });

  it('spells a preferred election as kafka-leader-election does', () => {
    expect(preferredElectionCommand('orders', 0)).toBe('kafka-leader-election --bootstrap-server localhost:9092 --election-type preferred --topic orders --partition 0');
  });
});

describe('theme helpers', () => {
  it('activates on Enter and Space only, like a button', () => {
    let runs = 0;
    let prevented = 0;
    const handler = activateOnKey(() => runs++);
    for (const key of ['Enter', ' ', 'a', 'Tab']) handler({ key, preventDefault: () => prevented++ });
    expect([runs, prevented]).toEqual([2, 2]);
  });

  it('follows the reader colour scheme unless a theme is pinned, and honours reduced motion', () => {
    expect(baseCss).toContain('@media (prefers-color-scheme: dark){ .kil-ui[data-theme="auto"]');
    expect(baseCss).toContain('.kil-ui[data-theme="dark"]');
    expect(baseCss).toMatch(/prefers-reduced-motion: reduce\)\{[^}]*animation:none !important;transition:none !important;/);
  });

  it('formats lab time in ms below a second and seconds above', () => {
    expect([formatMs(0), formatMs(999), formatMs(1000), formatMs(30_060)]).toEqual(['0 ms', '999 ms', '1.0 s', '30.1 s']);
  });
});
