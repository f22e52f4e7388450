/**
 * Renders a module or exercise body (MDX) on the server with the course's components.
 * Only the components below are available; anything else fails the build, so a typo in
 * a lesson is caught before a learner meets it. The prose reaches the page as static HTML
 * and only the interactive components hydrate (see static-html.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate } from '@mdx-js/mdx';
import * as runtime from 'react/jsx-runtime';
import remarkGfm from 'remark-gfm';
import type { ComponentProps } from 'react';
import { TryIt } from '../components/TryIt';
import { Question, Quiz } from '../components/Quiz';
import { Callout, Challenge, InlineFigure } from '../components/Prose';
import { LiveView } from '../components/LiveView';
import { ChallengeCheck } from '../components/ChallengeCheck';
import { staticHtmlLesson } from './static-html';
import { readingComponents, readingRehypePlugins } from './reading-plugins';

/** The client components a lesson may hold; everything else in it is rendered to HTML on the server. */
const islands: ReadonlySet<unknown> = new Set([TryIt, LiveView, Quiz, Question, ChallengeCheck]);

export const allowedComponents = ['TryIt', 'LiveView', 'Figure', 'Callout', 'Quiz', 'Question', 'Challenge'] as const;

const figureName = /^[a-z0-9][a-z0-9-]*\.svg$/;

export function figureFor(dir: string) {
  return function Figure({ src, caption }: { src: string; caption?: string }) {
    if (!figureName.test(src)) throw new Error(`Figure src "${src}" must be an SVG file name beside the lesson`);
    const file = path.join(dir, src);
    if (!existsSync(file)) throw new Error(`Figure ${file} does not exist`);
    const svg = readFileSync(file, 'utf8').replace(/<\?xml[^>]*>/, '');
    return <InlineFigure svg={svg} caption={caption} />;
  };
}

export async function renderMdx(body: string, dir: string, file: string) {
  try {
    const { default: Content } = await evaluate(body, { ...runtime, remarkPlugins: [remarkGfm], rehypePlugins: readingRehypePlugins, baseUrl: `file://${file}` });
    const components = { TryIt, LiveView, Figure: figureFor(dir), Callout, Quiz, Question, Challenge, ...readingComponents };
    return staticHtmlLesson(<Content components={components as ComponentProps<typeof Content>['components']} />, { islands });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
