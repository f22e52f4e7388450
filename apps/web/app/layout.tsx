import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ContentReload } from '../components/ContentReload';
import './globals.css';
import './reading.css';
import { ThemeToggle } from '../components/reading/ThemeToggle';
import { themeScript } from '../lib/theme';

export const metadata: Metadata = {
  title: 'Kafka Internals Lab',
  description: 'Learn how Apache Kafka works inside, on a live cluster of your own.',
};

/*
 * The header's links do not prefetch: on a module page they would fetch four other
 * routes' payloads while the lesson is still loading, and a learner reading a lesson
 * rarely leaves by the header. Next.js fetches a route when its link is clicked.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The inline script sets the theme class on <html> before paint, so React must not mind it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 text-sm">
            <Link prefetch={false} href="/" className="font-bold tracking-tight text-slate-900">
              Kafka Internals Lab
            </Link>
            <Link prefetch={false} href="/" className="text-slate-600 hover:text-slate-900">
              Course
            </Link>
            <Link prefetch={false} href="/lab" className="text-slate-600 hover:text-slate-900">
              Sandbox
            </Link>
            <Link prefetch={false} href="/progress" className="text-slate-600 hover:text-slate-900">
              Progress
            </Link>
            <Link prefetch={false} href="/glossary" className="text-slate-600 hover:text-slate-900">
              Glossary
            </Link>
            <Link prefetch={false} href="/account" className="ml-auto text-slate-600 hover:text-slate-900">
              Account
            </Link>
            <ThemeToggle />
          </nav>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        {process.env.NODE_ENV === 'development' ? <ContentReload /> : null}
      </body>
    </html>
  );
}
