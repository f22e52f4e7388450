/**
 * What lib/mdx.tsx adds to a lesson for reading: server-side syntax highlighting of code
 * fences, glossary links on the first use of each term, and code blocks with a copy
 * button. Kept here so that the renderer needs one import and two spreads.
 */
import type { EvaluateOptions } from '@mdx-js/mdx';
import { glossary } from '../../../content/glossary';
import { CodeBlock } from '../components/reading/CodeBlock';
import { rehypeGlossaryLinks } from './glossary-link';
import { rehypeHighlightCode } from './rehype-code';

export const readingRehypePlugins: NonNullable<EvaluateOptions['rehypePlugins']> = [rehypeHighlightCode, [rehypeGlossaryLinks, { terms: glossary }]];

/** MDX component overrides: fenced code blocks get the copy button. */
export const readingComponents = { pre: CodeBlock } as const;
