import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent } from './content-rules';

const good = `---
title: "A module"
order: 1
summary: "A module used to test the content checker."
duration: 10
objectives:
  - "Explain one thing"
---

Text.

<TryIt title="List" command="kafka-topics --bootstrap-server localhost:9092 --list">Look.</TryIt>

<Challenge id="01-a-x" title="Do it">Task.</Challenge>
`;

function tree(body: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kil-content-'));
  mkdirSync(path.join(root, 'content', 'modules', '01-a'), { recursive: true });
  writeFileSync(path.join(root, 'content', 'modules', '01-a', 'index.mdx'), body);
  return root;
}

describe('the course content', () => {
  // What `npm run content:check` runs, so that CI fails on a broken module or exercise.
  it('every module and exercise in the repository passes the content check', async () => {
    const problems = await checkContent();
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });
});

describe('content check', () => {
  it('accepts a valid module', async () => {
    expect(await checkContent(tree(good))).toEqual([]);
  });

  it('names the file and field of bad frontmatter', async () => {
    const problems = await checkContent(tree(good.replace('duration: 10', 'duration: "ten"')));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toMatch(/01-a\/index\.mdx$/);
    expect(problems[0]?.message).toContain('field "duration"');
  });

  it('reports unknown components and commands with their line', async () => {
    const problems = await checkContent(tree(good.replace('Text.', 'Text.\n\n<Widget />\n\n<TryIt title="x" command="sudo rm -rf /">y</TryIt>')));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('unknown component <Widget>'),
      expect.stringContaining('"sudo"'),
    ]);
    expect(problems[0]?.line).toBe(12);
  });

  it('reports MDX that does not compile', async () => {
    const problems = await checkContent(tree(good.replace('Text.', 'Text with an { unclosed expression')));
    expect(problems.some((p) => p.message.startsWith('MDX does not compile'))).toBe(true);
  });

  it('requires exactly one challenge per module', async () => {
    const problems = await checkContent(tree(good.replace(/<Challenge[\s\S]*<\/Challenge>/, '')));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('exactly one <Challenge>')]);
  });
});
