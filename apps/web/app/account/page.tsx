/** Account: sign up or log in to keep progress across devices; log out; join a cohort. */
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { sessionCookieName, visitor } from '../../lib/progress';
import { AccountForms } from './AccountForms';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account · Kafka Internals Lab' };

export default async function AccountPage() {
  const who = await visitor({ value: (await cookies()).get(sessionCookieName)?.value });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Account</h1>
      {who?.account ? (
        <p>
          Signed in as <strong>{who.account.displayName}</strong> ({who.account.email}).{' '}
          {who.account.role === 'instructor' && <Link href="/instructor" className="text-blue-700 underline">Your cohorts</Link>}
        </p>
      ) : (
        <p className="text-slate-600">You are learning anonymously. An account keeps your progress on every device.</p>
      )}
      <AccountForms signedIn={Boolean(who?.account)} />
    </div>
  );
}
