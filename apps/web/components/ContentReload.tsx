'use client';
/**
 * In `npm run dev` only: refreshes the page's server components when a lesson or exercise
 * file changes (see lib/content-events.ts), so an author sees an edit without reloading and
 * without losing the lab beside it.
 */
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function ContentReload() {
  const router = useRouter();
  useEffect(() => {
    const events = new EventSource('/__content-events');
    events.onmessage = () => router.refresh();
    return () => events.close();
  }, [router]);
  return null;
}
