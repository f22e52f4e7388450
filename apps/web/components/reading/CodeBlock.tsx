/**
 * A fenced code block in a lesson (MDX's `pre`). The highlighted code itself is static
 * HTML (lib/rehype-code.ts colours it while the lesson renders); only the copy button
 * beside it hydrates.
 */
import type { ComponentProps } from 'react';
import { CopyButton } from './CopyButton';

export function CodeBlock(props: ComponentProps<'pre'>) {
  return (
    <div className="code-block" data-code-block="">
      <pre {...props} />
      <CopyButton />
    </div>
  );
}
