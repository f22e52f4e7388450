'use client';
/**
 * The copy button on a lesson's code block: the one piece of a code block that needs a
 * script. It copies the text of the `<pre>` in its own block (so the highlighted HTML stays
 * static) and says "Copied" for a moment; the status is announced to screen readers too.
 */
import { useEffect, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

const labels: Record<CopyState, string> = { idle: 'Copy', copied: 'Copied', failed: 'Select and copy' };

export function CopyButton() {
  const [state, setState] = useState<CopyState>('idle');
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    const pre = button.current?.closest('[data-code-block]')?.querySelector('pre');
    const text = (pre?.textContent ?? '').replace(/\n$/, '');
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Without clipboard permission (an http page, an old browser) the reader selects the text instead.
      setState('failed');
    }
  }

  return (
    <button ref={button} type="button" className="copy-button" onClick={() => void copy()} aria-label={state === 'copied' ? 'Copied code to clipboard' : 'Copy code to clipboard'}>
      <span aria-hidden="true">{labels[state]}</span>
      <span className="sr-only" role="status">
        {state === 'copied' ? 'Copied' : ''}
      </span>
    </button>
  );
}
