/**
 * /glossary: every term of the course glossary (content/glossary.ts) with its anchor, in
 * alphabetical order. Lessons link the first use of each term here. The page is static.
 */
import type { Metadata } from 'next';
import { glossary } from '../../../../content/glossary';

export const metadata: Metadata = { title: 'Glossary · Kafka Internals Lab' };

const kipUrl = (kip: string) => `https://cwiki.apache.org/confluence/display/KAFKA/${kip}`;

export default function GlossaryPage() {
  const terms = [...glossary].sort((a, b) => a.term.localeCompare(b.term, 'en', { sensitivity: 'base' }));
  return (
    <article className="lesson mx-auto max-w-3xl">
      <h1>Glossary</h1>
      <p className="text-slate-600">
        The Kafka terms the course uses, in a few words each. Lessons link the first time they use a term to its entry here.
      </p>
      <nav aria-label="Terms" className="my-4 flex flex-wrap gap-x-3 gap-y-1 text-sm">
        {terms.map((t) => (
          <a key={t.id} href={`#${t.id}`}>
            {t.term}
          </a>
        ))}
      </nav>
      <dl>
        {terms.map((t) => (
          <div key={t.id} id={t.id} className="glossary-entry my-5 scroll-mt-4" data-term={t.id}>
            <dt className="text-lg font-semibold">
              <a href={`#${t.id}`} className="!text-inherit !no-underline">
                {t.term}
              </a>
            </dt>
            <dd className="mt-1 leading-7">
              {t.definition}
              {t.kip ? (
                <>
                  {' '}
                  <a href={kipUrl(t.kip)} rel="noreferrer">
                    {t.kip}
                  </a>
                </>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
