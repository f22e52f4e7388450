import { describe, expect, it } from 'vitest';
import { createElement, Fragment, isValidElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import * as runtime from 'react/jsx-runtime';
import { evaluate } from '@mdx-js/mdx';
import remarkGfm from 'remark-gfm';
import { loadExercises, loadModules } from './content';
import { escapeHtml, staticHtmlLesson } from './static-html';

/* Stand-ins for the lesson's client components: they render their props visibly so a
 * comparison of markup also compares what the islands receive. */
const TryIt = ({ title, command, children }: { title: string; command: string; children?: ReactNode }) =>
  createElement('x-try-it', { 'data-title': title, 'data-command': command }, children);
const Quiz = ({ children }: { children?: ReactNode }) => createElement('x-quiz', null, children);
const Question = ({ prompt, children }: { prompt: string; children?: ReactNode }) => createElement('x-question', { 'data-prompt': prompt }, children);
const LiveView = ({ kind }: { kind?: string }) => createElement('x-live-view', { 'data-kind': kind ?? 'cluster' });
const ChallengeCheck = ({ id }: { id: string }) => createElement('x-check', { 'data-id': id });
const CopyButton = () => createElement('button', { type: 'button' }, 'Copy');
const islands = new Set<unknown>([TryIt, Quiz, Question, LiveView, ChallengeCheck, CopyButton]);

/* Server components as the site has them: pure functions that need no hooks. */
const Callout = ({ kind = 'note', children }: { kind?: string; children?: ReactNode }) => createElement('aside', { className: `callout-${kind}` }, children);
const Challenge = ({ id, title, children }: { id: string; title: string; children?: ReactNode }) =>
  createElement('section', { 'data-challenge': id }, createElement('h4', null, 'Challenge: ', title), createElement('div', null, children), createElement(ChallengeCheck, { id }));
const Figure = ({ src, caption }: { src: string; caption?: string }) =>
  createElement('figure', null, createElement('div', { dangerouslySetInnerHTML: { __html: `<svg data-src="${src}"><text>a &amp; b</text></svg>` } }), caption ? createElement('figcaption', null, caption) : null);
/* Like the site's code block: a server component that puts a client button beside the static <pre>. */
const CodeBlock = (props: Record<string, unknown>) => createElement('div', { 'data-code-block': '' }, createElement('pre', props), createElement(CopyButton));
const components = { TryIt, LiveView, Figure, Callout, Quiz, Question, Challenge, pre: CodeBlock };

/** Removes the `display: contents` wrappers the conversion adds, keeping what is inside them. */
function unwrap(html: string): string {
  const open = '<div data-lesson-html="">';
  let out = html;
  for (let at = out.indexOf(open); at >= 0; at = out.indexOf(open)) {
    let depth = 1;
    let i = at + open.length;
    while (depth > 0) {
      const nextOpen = out.indexOf('<div', i);
      const nextClose = out.indexOf('</div>', i);
      if (nextClose < 0) throw new Error('unbalanced wrapper');
      if (nextOpen >= 0 && nextOpen < nextClose) {
        depth++;
        i = nextOpen + 4;
      } else {
        depth--;
        i = nextClose + 6;
      }
    }
    out = out.slice(0, at) + out.slice(at + open.length, i - 6) + out.slice(i);
  }
  return out;
}

/** React elements in a tree, counting into dangerouslySetInnerHTML as nothing (React never looks there). */
function countElements(node: ReactNode): number {
  if (Array.isArray(node)) return node.reduce((sum: number, child: ReactNode) => sum + countElements(child), 0);
  if (!isValidElement<{ children?: ReactNode }>(node)) return 0;
  return 1 + countElements(node.props.children);
}

async function lessonTree(body: string): Promise<ReactNode> {
  const { default: Content } = await evaluate(body, { ...runtime, remarkPlugins: [remarkGfm] });
  // Calling the content function (rather than rendering it) yields the element tree itself.
  return (Content as (props: { components: typeof components }) => ReactNode)({ components });
}

describe('staticHtmlLesson', () => {
  it('turns prose into one HTML chunk and keeps islands as elements with converted children', () => {
    const tree = createElement(
      Fragment,
      null,
      createElement('h2', null, 'Logs & offsets'),
      createElement('p', null, 'A ', createElement('code', { className: 'inline' }, '<log>'), ' grows.'),
      createElement(TryIt, { title: 't', command: 'kafka-topics --list' }, createElement('p', null, 'note')),
      createElement('p', null, 'after'),
    );
    const out = staticHtmlLesson(tree, { islands });
    expect(isValidElement(out)).toBe(true);
    const children = (out as { props: { children: ReactNode[] } }).props.children;
    expect(children).toHaveLength(3);
    const [first, island, last] = children as [ReactNode, ReactNode, ReactNode];
    expect((first as { props: { dangerouslySetInnerHTML: { __html: string } } }).props.dangerouslySetInnerHTML.__html).toBe(
      '<h2>Logs &amp; offsets</h2><p>A <code class="inline">&lt;log&gt;</code> grows.</p>',
    );
    expect((island as { type: unknown }).type).toBe(TryIt);
    expect(renderToStaticMarkup(island as never)).toBe('<x-try-it data-title="t" data-command="kafka-topics --list"><p>note</p></x-try-it>');
    expect(renderToStaticMarkup(last as never)).toBe('<p>after</p>');
    expect((last as { props: { dangerouslySetInnerHTML: { __html: string } } }).props.dangerouslySetInnerHTML.__html).toBe('after');
  });

  it('keeps an element whose props cannot be written as HTML for React, converting around it', () => {
    const onClick = () => undefined;
    const out = staticHtmlLesson(createElement('section', null, createElement('p', null, 'x'), createElement('button', { onClick }, 'go')), { islands });
    const html = renderToStaticMarkup(out as never);
    expect(html).toBe('<section><p>x</p><button>go</button></section>');
  });

  it('puts no wrapper where HTML forbids one: a static list item next to an island keeps its own tag', () => {
    const list = createElement('ul', null, createElement('li', { className: 'a' }, 'one ', createElement('em', null, 'two')), createElement('li', null, createElement(LiveView, {})));
    const out = staticHtmlLesson(list, { islands });
    expect(renderToStaticMarkup(out as never)).toBe('<ul><li class="a">one <em>two</em></li><li><x-live-view data-kind="cluster"></x-live-view></li></ul>');
    expect(countElements(out)).toBe(5);
  });

  it('leaves a lone static element beside an island as itself, with no wrapper (a code block and its copy button)', () => {
    const out = staticHtmlLesson(createElement(CodeBlock, { className: 'x' }, createElement('code', null, 'a < b')), { islands });
    const html = renderToStaticMarkup(out as never);
    expect(html).toBe('<div data-code-block=""><pre class="x"><code>a &lt; b</code></pre><button type="button">Copy</button></div>');
    expect(html).not.toContain('data-lesson-html');
  });

  it('writes attributes as React does: style objects, booleans, data and aria attributes, void elements', () => {
    const tree = createElement(
      'table',
      null,
      createElement('tbody', null, createElement('tr', null, createElement('td', { style: { textAlign: 'right' }, 'aria-hidden': true }, createElement('input', { type: 'checkbox', disabled: true, checked: false, readOnly: true }), createElement('br')))),
    );
    const expected = renderToStaticMarkup(tree);
    const out = staticHtmlLesson(tree, { islands });
    expect(renderToStaticMarkup(out as never)).toBe(expected);
    // The whole table is one element whose inside React never walks.
    expect(countElements(out)).toBe(2);
  });

  it('escapes text and attribute values as React does', () => {
    expect(escapeHtml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#x27;');
  });

  const lessons = [...loadModules().map((m) => ({ name: `module ${m.slug}`, body: m.body })), ...loadExercises().map((e) => ({ name: `exercise ${e.slug}`, body: e.body }))];
  it.each(lessons)('$name renders the same markup, with a fraction of the React elements', async ({ body }) => {
    const tree = await lessonTree(body);
    const converted = staticHtmlLesson(tree, { islands });
    expect(unwrap(renderToStaticMarkup(converted as never))).toBe(renderToStaticMarkup(tree as never));
    expect(countElements(converted)).toBeLessThan(countElements(tree) / 5);
  });
});
