'use client';
/**
 * Progress reporting for module pages: `<ModuleReadTracker slug>` records a read once the
 * learner has stayed on the page for a while, and `reportQuizScore` records a submitted
 * quiz. Both post to the progress API (same-origin, the session cookie identifies the
 * learner); failures are silent because progress is never worth interrupting a lesson.
 */
import { useEffect } from 'react';

/** Time on the page before it counts as read. */
export const readAfterMs = 15_000;

async function post(url: string, body: unknown): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), keepalive: true });
    return response.ok;
  } catch {
    return false;
  }
}

export function ModuleReadTracker({ slug }: { slug: string }) {
  useEffect(() => {
    const timer = setTimeout(() => void post('/api/progress/read', { moduleSlug: slug }), readAfterMs);
    return () => clearTimeout(timer);
  }, [slug]);
  return null;
}

export function reportQuizScore(moduleSlug: string, score: number, total: number): Promise<boolean> {
  return post('/api/progress/quiz', { moduleSlug, score, total });
}
