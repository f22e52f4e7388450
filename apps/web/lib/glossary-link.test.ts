import type { Element, ElementContent, Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { glossary } from '../../../content/glossary';
import { glossaryMatcher, linkText, rehypeGlossaryLinks, shortDefinition, type LinkableTerm } from './glossary-link';
import { rehypeHighlightCode } from './rehype-code';

const terms: LinkableTerm[] = [
  { id: 'isr', definition: 'The replicas that keep up. Only they count.', match: ['ISR', 'in-sync replica'] },
  { id: 'replica', definition: 'A copy of a partition.', match: ['replica'] },
  { id: 'preferred-replica', definition: 'The replica meant to lead.', match: ['preferred replica'] },
  { id: 'high-watermark', definition: 'The committed end of the log.', match: ['high watermark'] },
];

const text = (value: string): ElementContent => ({ type: 'text', value });
const el = (tagName: string, children: ElementContent[], properties: Element['properties'] = {}): Element => ({ type: 'element', tagName, properties, children });

/** The rendered links of a tree, as "text -> href". */
function links(node: Root | Element): string[] {
  const out: string[] = [];
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'a' && child.properties.className) {
      out.push(`${child.children.map((c) => (c.type === 'text' ? c.value : '')).join('')} -> ${String(child.properties.href)}`);
    } else out.push(...links(child));
  }
  return out;
}

describe('linkText', () => {
  const matcher = glossaryMatcher(terms);
  const href = (id: string) => `/glossary#${id}`;

  it('links the first use of each term, keeps the rest of the text and the reader’s own wording', () => {
    const linked = new Set<string>();
    const parts = linkText('The High watermark moves when the ISR grows; the ISR and the high watermark again.', matcher, linked, href);
    expect(parts?.map((p) => (p.type === 'text' ? p.value : `[${(p as Element).children.map((c) => (c as { value: string }).value).join('')}]`)).join('')).toBe(
      'The [High watermark] moves when the [ISR] grows; the ISR and the high watermark again.',
    );
    expect([...linked]).toEqual(['high-watermark', 'isr']);
  });

  it('prefers the longest form, allows plurals and respects word edges and case-sensitive acronyms', () => {
    const linked = new Set<string>();
    const parts = linkText('Two preferred replicas, an isr, min.insync.replicas and replicator, then in-sync replicas.', matcher, linked, href) ?? [];
    const anchors = parts.filter((p): p is Element => p.type === 'element');
    expect(anchors.map((a) => [(a.children[0] as { value: string }).value, a.properties.href])).toEqual([
      ['preferred replicas', '/glossary#preferred-replica'],
      ['in-sync replicas', '/glossary#isr'],
    ]);
    expect(anchors[0]?.properties.title).toBe('The replica meant to lead.');
  });

  it('returns null when the text holds no unlinked term', () => {
    expect(linkText('Nothing to see here.', matcher, new Set(), href)).toBeNull();
    expect(linkText('The ISR again.', matcher, new Set(['isr']), href)).toBeNull();
  });
});

describe('rehypeGlossaryLinks', () => {
  it('links prose once per lesson and never inside code, headings, links or components', () => {
    const tree: Root = {
      type: 'root',
      children: [
        el('h2', [text('The ISR and the high watermark')]),
        el('p', [text('Use '), el('code', [text('ISR')]), text(' with '), el('a', [text('the ISR docs')], { href: '/x' })]),
        { type: 'mdxJsxFlowElement', name: 'Callout', attributes: [], children: [el('p', [text('ISR in a callout')])] } as unknown as ElementContent,
        el('ul', [el('li', [text('Then the ISR shrinks and a replica falls behind.')])]),
        el('p', [text('The ISR, the replica and the high watermark, again.')]),
      ],
    };
    rehypeGlossaryLinks({ terms })(tree);
    expect(links(tree)).toEqual(['ISR -> /glossary#isr', 'replica -> /glossary#replica', 'high watermark -> /glossary#high-watermark']);
    // A fresh render links again: "first use" is per lesson, not per process.
    const again: Root = { type: 'root', children: [el('p', [text('The ISR.')])] };
    rehypeGlossaryLinks({ terms })(again);
    expect(links(again)).toEqual(['ISR -> /glossary#isr']);
  });
});

describe('rehypeHighlightCode', () => {
  it('wraps tokens of a fenced block in spans, labels the block and leaves unlabelled blocks alone', () => {
    const fenced = el('pre', [el('code', [text('{"acks": "all"}\n')], { className: ['language-json'] })]);
    const bare = el('pre', [el('code', [text('plain {"a": 1}')])]);
    const tree: Root = { type: 'root', children: [fenced, bare] };
    rehypeHighlightCode()(tree);
    const code = fenced.children[0] as Element;
    const spans = code.children.filter((c): c is Element => c.type === 'element').map((s) => `${String(s.properties.className)}:${(s.children[0] as { value: string }).value}`);
    expect(spans).toEqual(['tok-punct:{', 'tok-key:"acks"', 'tok-punct::', 'tok-str:"all"', 'tok-punct:}']);
    expect(fenced.properties.dataLang).toBe('json');
    expect((bare.children[0] as Element).children).toEqual([text('plain {"a": 1}')]);
  });
});

describe('the course glossary', () => {
  it('has unique anchors and forms, a KIP number in the right shape and a short first sentence', () => {
    expect(glossary.length).toBeGreaterThanOrEqual(40);
    expect(new Set(glossary.map((t) => t.id)).size).toBe(glossary.length);
    const forms = glossary.flatMap((t) => t.match.map((m) => m.toLowerCase()));
    expect(new Set(forms).size).toBe(forms.length);
    for (const term of glossary) {
      expect(term.id, term.term).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (term.kip) expect(term.kip, term.term).toMatch(/^KIP-\d+$/);
      expect(shortDefinition(term.definition).length, term.term).toBeLessThan(term.definition.length + 1);
      expect(term.definition.split(/[.!?](?:\s|$)/).filter(Boolean).length, term.term).toBeLessThanOrEqual(3);
    }
  });
});
