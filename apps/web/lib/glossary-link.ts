/**
 * Links glossary terms in lesson prose, on the server, while the MDX renders (a rehype
 * plugin over the HTML syntax tree). The first use of each term in a lesson becomes a link
 * to its /glossary entry with the definition's first sentence as a tooltip; later uses stay
 * plain, so a paragraph is not a wall of links.
 *
 * Only prose is touched: text inside code, preformatted blocks, headings, existing links
 * and the course's components (Callout, Quiz, TryIt...) is never rewritten, because a link
 * there would change code, nest links or reach into an island's props.
 */
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';

export interface LinkableTerm {
  readonly id: string;
  readonly definition: string;
  readonly match: readonly string[];
}

/** Elements whose text is never linked. */
const skippedTags = new Set(['a', 'code', 'pre', 'kbd', 'samp', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'script', 'style', 'svg', 'button']);

interface Form {
  readonly termId: string;
  /** The form as written in the glossary; compared exactly when caseSensitive. */
  readonly text: string;
  readonly caseSensitive: boolean;
}

export interface GlossaryMatcher {
  readonly pattern: RegExp;
  readonly forms: ReadonlyMap<string, readonly Form[]>;
  readonly titles: ReadonlyMap<string, string>;
}

/** The first sentence of a definition, which must make sense alone. */
export function shortDefinition(definition: string): string {
  const end = /[.!?](\s|$)/.exec(definition);
  return end ? definition.slice(0, end.index + 1) : definition;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles the terms into one pattern; longer forms come first so that "preferred replica" wins over "replica". */
export function glossaryMatcher(terms: readonly LinkableTerm[]): GlossaryMatcher {
  const forms = new Map<string, Form[]>();
  for (const term of terms) {
    for (const text of term.match) {
      const key = text.toLowerCase();
      const list = forms.get(key) ?? [];
      list.push({ termId: term.id, text, caseSensitive: /[A-Z]/.test(text.slice(1)) });
      forms.set(key, list);
    }
  }
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\w.-])(${alternatives.join('|')})(e?s)?(?![\\w-])`, 'gi');
  const titles = new Map(terms.map((t) => [t.id, shortDefinition(t.definition)]));
  return { pattern, forms, titles };
}

/** The term a matched form stands for, if it is not linked yet and its case fits. */
function termFor(matcher: GlossaryMatcher, matched: string, linked: ReadonlySet<string>): string | null {
  for (const form of matcher.forms.get(matched.toLowerCase()) ?? []) {
    if (linked.has(form.termId)) continue;
    if (form.caseSensitive && form.text !== matched) continue;
    return form.termId;
  }
  return null;
}

/** Splits one text node into text and links; returns null when nothing in it was linked. */
export function linkText(value: string, matcher: GlossaryMatcher, linked: Set<string>, hrefFor: (id: string) => string): ElementContent[] | null {
  const out: ElementContent[] = [];
  let last = 0;
  const pattern = new RegExp(matcher.pattern.source, matcher.pattern.flags);
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    const termId = termFor(matcher, match[1] ?? '', linked);
    if (!termId) continue;
    linked.add(termId);
    if (match.index > last) out.push({ type: 'text', value: value.slice(last, match.index) });
    out.push({
      type: 'element',
      tagName: 'a',
      properties: { href: hrefFor(termId), title: matcher.titles.get(termId) ?? '', className: ['glossary-term'] },
      children: [{ type: 'text', value: match[0] }],
    });
    last = match.index + match[0].length;
  }
  if (last === 0) return null;
  if (last < value.length) out.push({ type: 'text', value: value.slice(last) });
  return out;
}

type Parent = Root | Element;

function walk(parent: Parent, matcher: GlossaryMatcher, linked: Set<string>, hrefFor: (id: string) => string): void {
  const children: (RootContent | ElementContent)[] = [];
  for (const child of parent.children) {
    if (child.type === 'text') {
      children.push(...(linkText((child as Text).value, matcher, linked, hrefFor) ?? [child]));
      continue;
    }
    if (child.type === 'element' && !skippedTags.has(child.tagName)) walk(child, matcher, linked, hrefFor);
    // Any other node (MDX components, expressions, comments) is left as it is.
    children.push(child);
  }
  parent.children = children as typeof parent.children;
}

export interface GlossaryLinkOptions {
  readonly terms: readonly LinkableTerm[];
  readonly hrefFor?: (id: string) => string;
}

/** The rehype plugin: each render gets a fresh set of linked terms, so each lesson links each term once. */
export function rehypeGlossaryLinks(options: GlossaryLinkOptions) {
  const matcher = glossaryMatcher(options.terms);
  const hrefFor = options.hrefFor ?? ((id: string) => `/glossary#${id}`);
  return (tree: Root): void => walk(tree, matcher, new Set(), hrefFor);
}
