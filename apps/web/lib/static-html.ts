/**
 * Turns a lesson's rendered element tree into static HTML around its interactive islands.
 *
 * A lesson is mostly prose: paragraphs, headings, lists, tables and code. Rendered as
 * ordinary React elements, every one of those nodes travels in the page's React Server
 * Components payload as a nested element, and React walks and hydrates each of them on
 * load although none of them ever changes. Here every subtree that holds no island (a
 * client component such as TryIt, Quiz or LiveView) is serialised to an HTML string on the
 * server, and the page carries it as `dangerouslySetInnerHTML`, which React hydrates as a
 * single node without looking inside. The islands stay React elements, and their own
 * children (a question's explanation, a TryIt's note) get the same treatment.
 *
 * Anything this module cannot serialise exactly (an event handler, a style value that is
 * not a string, an async component) stays a React element, so the worst case is the old
 * behaviour, never a different page.
 */
import { createElement, Fragment, isValidElement, type ReactElement, type ReactNode } from 'react';

/**
 * A piece of the converted tree: HTML (text, or a whole host element with its subtree), or
 * a node that must stay React. A static host element remembers its tag and props so that,
 * where a wrapper is not allowed, it can become one element carrying its inside as HTML.
 */
type Part =
  | { readonly html: string; readonly text: string }
  | { readonly html: string; readonly host: { readonly tag: string; readonly props: Props; readonly inner: string | null } }
  | { readonly node: ReactNode };

const clientReference = Symbol.for('react.client.reference');
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** The HTML parser drops a newline that opens these, so React writes one more; so do we. */
const leadingNewlineElements = new Set(['pre', 'textarea', 'listing']);
/** Elements whose content model accepts a <div>, so a run of static children may share one wrapper. */
const flowContainers = new Set(['article', 'aside', 'blockquote', 'dd', 'details', 'div', 'figure', 'footer', 'header', 'li', 'main', 'nav', 'section', 'td', 'th']);
const attributeNames: Record<string, string> = { className: 'class', htmlFor: 'for', httpEquiv: 'http-equiv', acceptCharset: 'accept-charset' };

/** Escapes text and attribute values the way React's server renderer does. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c] ?? c);
}

export interface StaticHtmlOptions {
  /**
   * Components that must hydrate, besides client components (which the server sees as
   * client references and are always islands). Tests name their stand-ins here.
   */
  readonly islands?: ReadonlySet<unknown>;
}

type Props = Record<string, unknown> & { children?: ReactNode };

function styleText(style: unknown): string | null {
  if (typeof style !== 'object' || style === null) return null;
  const rules: string[] = [];
  for (const [name, value] of Object.entries(style)) {
    if (typeof value !== 'string') return null;
    rules.push(`${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${value}`);
  }
  return rules.join(';');
}

/** The element's attributes as HTML, or null if one of them cannot be written as text. */
function attributesHtml(props: Props): string | null {
  let out = '';
  for (const [name, value] of Object.entries(props)) {
    if (name === 'children' || name === 'dangerouslySetInnerHTML' || name === 'suppressHydrationWarning') continue;
    if (value === undefined || value === null) continue;
    const attribute = attributeNames[name] ?? name;
    const ariaOrData = /^(aria|data)-/.test(attribute);
    if (name === 'style') {
      const css = styleText(value);
      if (css === null) return null;
      out += ` style="${escapeHtml(css)}"`;
    } else if (typeof value === 'string' || typeof value === 'number') {
      out += ` ${attribute}="${escapeHtml(String(value))}"`;
    } else if (typeof value === 'boolean') {
      if (ariaOrData) out += ` ${attribute}="${value}"`;
      else if (value) out += ` ${attribute}=""`;
    } else {
      return null;
    }
  }
  return out;
}

function innerHtmlOf(props: Props): string | null {
  const inner = props.dangerouslySetInnerHTML;
  if (inner === undefined) return null;
  const html = (inner as { __html?: unknown } | null)?.__html;
  return typeof html === 'string' ? html : '';
}

function isClientReference(type: unknown): boolean {
  return typeof type === 'function' && (type as { $$typeof?: unknown }).$$typeof === clientReference;
}

function joinHtml(parts: readonly Part[]): string | null {
  let html = '';
  for (const part of parts) {
    if (!('html' in part)) return null;
    html += part.html;
  }
  return html;
}

function withoutChildren(props: Props): Props {
  const { children: _children, ...rest } = props;
  return rest;
}

/** Converts a host element (a `p`, a `table`): to HTML if its whole subtree can be, else to a lighter element. */
function hostPart(element: ReactElement<Props>, options: StaticHtmlOptions): Part {
  const tag = element.type as string;
  const props = element.props;
  const attributes = attributesHtml(props);
  const given = innerHtmlOf(props);
  if (attributes !== null && given !== null) return { html: `<${tag}${attributes}>${given}</${tag}>`, host: { tag, props: withoutChildren(props), inner: given } };
  const children = partsOf(props.children, options);
  const childHtml = joinHtml(children);
  if (attributes !== null && childHtml !== null) {
    if (voidElements.has(tag)) return { html: `<${tag}${attributes}/>`, host: { tag, props: withoutChildren(props), inner: null } };
    const inner = (leadingNewlineElements.has(tag) && childHtml.startsWith('\n') ? '\n' : '') + childHtml;
    return { html: `<${tag}${attributes}>${inner}</${tag}>`, host: { tag, props: withoutChildren(props), inner } };
  }
  return { node: createElement(tag, { ...withoutChildren(props), key: element.key }, ...toNodes(children, flowContainers.has(tag))) };
}

function elementParts(element: ReactElement<Props>, options: StaticHtmlOptions): Part[] {
  const type: unknown = element.type;
  if (type === Fragment) return partsOf(element.props.children, options);
  if (typeof type === 'string') return [hostPart(element, options)];
  if (isClientReference(type) || options.islands?.has(type)) return [{ node: islandElement(element, options) }];
  const isClass = typeof type === 'function' && Boolean((type as { prototype?: { isReactComponent?: unknown } }).prototype?.isReactComponent);
  if (typeof type === 'function' && !isClass) {
    // A server component without hooks (Callout, Figure, Challenge): render it here and look inside.
    const rendered: unknown = (type as (props: Props) => unknown)(element.props);
    if (!(rendered instanceof Promise)) return partsOf(rendered as ReactNode, options);
  }
  return [{ node: element }];
}

/** An island keeps its props; only its children (lesson prose passed in) are converted. */
function islandElement(element: ReactElement<Props>, options: StaticHtmlOptions): ReactElement {
  const { children, ...rest } = element.props;
  if (children === undefined) return element;
  return createElement(element.type as string, { ...rest, key: element.key }, ...toNodes(partsOf(children, options), true));
}

function partsOf(node: ReactNode, options: StaticHtmlOptions): Part[] {
  if (node === null || node === undefined || typeof node === 'boolean') return [];
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') return [{ html: escapeHtml(String(node)), text: String(node) }];
  if (Array.isArray(node)) return node.flatMap((child: ReactNode) => partsOf(child, options));
  if (isValidElement<Props>(node)) return elementParts(node, options);
  return [{ node }];
}

/**
 * A static HTML chunk. globals.css gives `[data-lesson-html]` `display: contents`, so the
 * wrapper draws no box and the lesson lays out as if its blocks were direct children. It is
 * an attribute, not Tailwind's `contents` class, because Monaco's stylesheet (loaded on
 * exercise pages) styles a bare `.contents` as a clipped flex item.
 */
function htmlChunk(html: string, key: number): ReactElement {
  return createElement('div', { key, 'data-lesson-html': '', dangerouslySetInnerHTML: { __html: html } });
}

/** Outside flow content a static element stays itself, carrying its inside as HTML. */
function staticElement(part: Extract<Part, { host: unknown }>, key: number): ReactElement {
  const { tag, props, inner } = part.host;
  if (inner === null) return createElement(tag, { ...props, key });
  return createElement(tag, { ...props, key, dangerouslySetInnerHTML: { __html: inner } });
}

/**
 * The React children for a list of parts. Inside flow content a run of several static
 * elements becomes one chunk; a lone static element (a TryIt's note, a code block's <pre>)
 * and every static element outside flow content (a list, a table row) keep their own tag
 * and carry their inside as HTML, so no wrapper appears where HTML or a child selector
 * would not expect one. Text alone stays text.
 */
function toNodes(parts: readonly Part[], flow: boolean): ReactNode[] {
  const nodes: ReactNode[] = [];
  let run: Part[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const hosts = run.filter((p) => 'host' in p).length;
    if (hosts === 0) nodes.push(run.map((p) => ('text' in p ? p.text : '')).join(''));
    else if (flow && hosts > 1) nodes.push(htmlChunk(run.map((p) => ('html' in p ? p.html : '')).join(''), nodes.length));
    else for (const p of run) nodes.push('host' in p ? staticElement(p, nodes.length) : 'text' in p ? p.text : null);
    run = [];
  };
  for (const part of parts) {
    if ('html' in part) {
      run.push(part);
      continue;
    }
    flush();
    nodes.push(part.node);
  }
  flush();
  return nodes;
}

/** The lesson with its prose as static HTML and its islands as React elements. */
export function staticHtmlLesson(content: ReactNode, options: StaticHtmlOptions = {}): ReactNode {
  return createElement(Fragment, null, ...toNodes(partsOf(content, options), true));
}
