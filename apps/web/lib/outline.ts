/** The course outline the module sidebar lists: every module, then every exercise, in order. */
import type { OutlineItem } from '../components/reading/ModuleSidebar';
import { loadExercises, loadModules } from './content';

export function courseOutline(): OutlineItem[] {
  return [
    ...loadModules().map((m): OutlineItem => ({ kind: 'module', slug: m.slug, title: m.frontmatter.title, order: m.frontmatter.order })),
    ...loadExercises().map((e): OutlineItem => ({ kind: 'exercise', slug: e.slug, title: e.frontmatter.title, order: e.frontmatter.order })),
  ];
}
