import { describe, expect, it } from 'vitest';
import { marksFrom } from '../components/reading/ModuleSidebar';
import { courseOutline } from './outline';

describe('courseOutline', () => {
  it('lists the eleven modules, then the four exercises, each in course order', () => {
    const outline = courseOutline();
    const modules = outline.filter((i) => i.kind === 'module');
    const exercises = outline.filter((i) => i.kind === 'exercise');
    expect(modules).toHaveLength(11);
    expect(exercises).toHaveLength(4);
    expect(outline.slice(0, 11).every((i) => i.kind === 'module')).toBe(true);
    expect(modules.map((m) => m.order)).toEqual([...modules.map((m) => m.order)].sort((a, b) => a - b));
    expect(modules[0]).toMatchObject({ slug: 'architecture', order: 1 });
  });
});

describe('marksFrom', () => {
  it('turns a progress body into read modules and best quiz scores, tolerating missing lists', () => {
    const marks = marksFrom({
      reads: [{ moduleSlug: 'broker' }],
      quizzes: [{ moduleSlug: 'compaction', bestScore: 4, total: 5 }],
    });
    expect([...marks.read]).toEqual(['broker']);
    expect(marks.quiz.get('compaction')).toEqual({ best: 4, total: 5 });
    expect(marksFrom({}).read.size).toBe(0);
  });
});
