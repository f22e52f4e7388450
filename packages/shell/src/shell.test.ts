import { beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_SCREEN } from './commands/clear';
import { Shell } from './shell';
import { newTestLab, type TestLab } from './testing';

describe('Shell', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('answers an unknown command with the closest match and a pointer to help', async () => {
    expect(await lab.run('kafka-topicz --list')).toEqual({
      code: 127,
      output: 'kafka-topicz: command not found\nhint: Did you mean kafka-topics?\nhint: type `help` to list the commands\n',
    });
    expect(await lab.run('vim notes.txt')).toEqual({ code: 127, output: 'vim: command not found\nhint: type `help` to list the commands\n' });
  });

  it("accepts Kafka's script names from the distribution", async () => {
    expect((await lab.run('bin/kafka-topics.sh --bootstrap-server localhost:9092 --list')).code).toBe(0);
    expect((await lab.run('kafka-topics.sh --version')).output).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('ignores an empty line and refuses one that is too long', async () => {
    expect(await lab.run('   ')).toEqual({ code: 0, output: '' });
    const long = await lab.run(`help ${'x'.repeat(5000)}`);
    expect(long.code).toBe(2);
    expect(long.output).toMatch(/^Input refused: the line is 5005 characters long; the limit is 4096\.\n/);
  });

  it('reports an unclosed quote and unsupported pipes', async () => {
    expect(await lab.run('help "kafka')).toEqual({ code: 2, output: 'shell: unexpected end of line: missing closing "\n' });
    expect((await lab.run('kafka-topics --list | wc -l')).code).toBe(2);
  });

  it('help lists every command with one line each', async () => {
    const { code, output } = await lab.run('help');
    expect(code).toBe(0);
    for (const name of lab.shell.commandNames()) expect(output).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(output.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(lab.shell.commandNames().length);
  });

  it('help <command> prints the same usage as <command> --help', async () => {
    const viaHelp = await lab.run('help broker');
    const viaFlag = await lab.run('broker --help');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.output).toContain('broker crash <id>');
    expect(viaFlag.output).toBe(viaHelp.output);
    expect((await lab.run('help kafka-topics')).output).toMatch(/^--replication-factor <Integer:/m);
    expect(await lab.run('help brokr')).toEqual({ code: 1, output: "help: no command named 'brokr'\nhint: Did you mean `help broker`?\n" });
  });

  it('clear writes the ANSI clear-screen sequence', async () => {
    expect(await lab.run('clear')).toEqual({ code: 0, output: CLEAR_SCREEN });
  });

  it('colours errors red and hints dim only when asked to', async () => {
    const coloured = new Shell({ cluster: lab.cluster, color: true });
    let output = '';
    await coloured.execute('nope', { write: (t) => (output += t), signal: new AbortController().signal });
    expect(output).toBe('\x1b[31mnope: command not found\x1b[0m\n\x1b[2mhint: type `help` to list the commands\x1b[0m\n');
  });

  it('stops waiting on Ctrl-C with exit code 130', async () => {
    const running = lab.start('kafka-topics --bootstrap-server localhost:9092 --create --topic stuck --partitions 1 --replication-factor 1');
    running.interrupt();
    expect(await running.done).toBe(130);
  });

  it('completes command names, options and values from the cluster', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 1 --replication-factor 1');
    const shell = lab.shell;
    expect(shell.complete('kafka-t')).toEqual(['kafka-topics', 'kafka-transactions']);
    expect(shell.complete('kafka-con')).toEqual(['kafka-configs', 'kafka-console-consumer', 'kafka-console-producer', 'kafka-consumer-groups', 'kafka-consumer-perf-test']);
    expect(shell.complete('kafka-topics --desc')).toEqual(['--describe']);
    expect(shell.complete('kafka-topics --describe --topic or')).toEqual(['orders']);
    expect(shell.complete('kafka-topics --topic=or')).toEqual(['--topic=orders']);
    expect(shell.complete('kafka-topics --create --config min.in')).toEqual(['min.insync.replicas=']);
    expect(shell.complete('broker st')).toEqual(['start', 'stop']);
    expect(shell.complete('broker stop ')).toEqual(['1', '2', '3']);
    expect(shell.complete('controller crash ')).toEqual(['101', '102', '103']);
    expect(shell.complete('help kafka-to')).toEqual(['kafka-topics']);
    expect(shell.complete('nope ')).toEqual([]);
  });

  it('completes consumer group names after --group, from the trace and without waiting', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic ledger --partitions 1 --replication-factor 1');
    for (const group of ['billing', 'bookkeeping', 'audit']) {
      expect((await lab.run(`kafka-consumer-groups --bootstrap-server localhost:9092 --reset-offsets --group ${group} --topic ledger --to-earliest --execute`)).code).toBe(0);
    }
    const shell = lab.shell;
    expect(shell.complete('kafka-consumer-groups --describe --group b')).toEqual(['billing', 'bookkeeping']);
    expect(shell.complete('kafka-consumer-groups --describe --group=au')).toEqual(['--group=audit']);
    expect(shell.complete('kafka-console-consumer --topic ledger --group ')).toEqual(['audit', 'billing', 'bookkeeping']);
    await lab.run('kafka-consumer-groups --bootstrap-server localhost:9092 --delete --group billing');
    expect(shell.complete('kafka-consumer-groups --delete --group b')).toEqual(['bookkeeping']);
  });
});
