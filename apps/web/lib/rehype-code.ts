/**
 * A rehype plugin that colours fenced code blocks at render time: every `<pre><code
 * class="language-x">` gets its text split into `<span class="tok-kind">` runs by
 * highlight.ts, and the `<pre>` is marked with `data-lang` so the page can label it. Inline
 * code and blocks without a language are left as they are.
 */
import type { Element, ElementContent, Root } from 'hast';
import { highlight, normaliseLanguage } from './highlight';

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function fenceLanguage(code: Element): string | null {
  const classes = code.properties.className;
  const list: string[] = Array.isArray(classes) ? classes.map(String) : String(classes ?? '').split(/\s+/);
  const language = list.find((c) => c.startsWith('language-'));
  return language ? language.slice('language-'.length) : null;
}

/** Replaces a code element's text with highlighted spans; the joined text is unchanged. */
export function highlightCodeElement(pre: Element): void {
  const code = pre.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code');
  if (!code) return;
  const lang = fenceLanguage(code);
  if (!lang) return;
  const text = code.children.map(textOf).join('');
  code.children = highlight(text, lang).map((token): ElementContent =>
    token.kind === null
      ? { type: 'text', value: token.text }
      : { type: 'element', tagName: 'span', properties: { className: [`tok-${token.kind}`] }, children: [{ type: 'text', value: token.text }] },
  );
  pre.properties = { ...pre.properties, dataLang: normaliseLanguage(lang) === 'text' ? lang : normaliseLanguage(lang) };
}

/** Walks everything, MDX components included, since a code block may sit inside a Callout. */
function visit(node: Root | Element): void {
  for (const child of node.children) {
    if (child.type === 'element' && child.tagName === 'pre') highlightCodeElement(child);
    else if ('children' in child) visit(child as Element);
  }
}

export function rehypeHighlightCode() {
  return (tree: Root): void => visit(tree);
}
