/** Small helpers for asserting on server-rendered markup without a DOM. */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

export const render = (element: ReactElement): string => renderToStaticMarkup(element);

/** How many times `needle` occurs in `html`. */
export function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

/** The opening tag of the first element carrying `attr="value"`, e.g. to read its other attributes. */
export function tagWith(html: string, attr: string, value: string): string {
  const at = html.indexOf(`${attr}="${value}"`);
  if (at < 0) throw new Error(`no element with ${attr}="${value}"`);
  const start = html.lastIndexOf('<', at);
  return html.slice(start, html.indexOf('>', at) + 1);
}

/** Value of `name` in an opening tag. */
export function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? (m[1] ?? null) : null;
}

const voidTags = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The whole element (opening tag to its matching close) carrying `attr="value"`. */
export function subtree(html: string, name: string, value: string): string {
  const at = html.indexOf(`${name}="${value}"`);
  if (at < 0) throw new Error(`no element with ${name}="${value}"`);
  const start = html.lastIndexOf('<', at);
  const tagRe = /<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g;
  tagRe.lastIndex = start;
  let depth = 0;
  for (let m = tagRe.exec(html); m; m = tagRe.exec(html)) {
    const closing = m[1] === '/';
    const selfClosing = m[3] === '/' || voidTags.has((m[2] ?? '').toLowerCase());
    if (closing) depth--;
    else if (!selfClosing) depth++;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error(`unbalanced markup after ${name}="${value}"`);
}

/** Text content of markup (tags removed, entities for quotes and ampersands decoded). */
export function text(html: string): string {
  return html
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
