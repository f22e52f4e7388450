'use client';
/** Sign-up, log-in, log-out and joining a cohort; the server sets the session cookie. */
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

async function post(url: string, body: unknown): Promise<{ ok: boolean; message: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (response.ok) return { ok: true, message: '' };
  const problem = (await response.json().catch(() => ({}))) as { error?: string; suggestion?: string };
  return { ok: false, message: [problem.error ?? `The server answered ${response.status}.`, problem.suggestion].filter(Boolean).join(' — ') };
}

function Field({ name, label, type = 'text', autoComplete }: { name: string; label: string; type?: string; autoComplete?: string }) {
  return (
    <label className="block text-sm">
      <span className="text-slate-700">{label}</span>
      <input name={name} type={type} required={name !== 'displayName'} autoComplete={autoComplete} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
    </label>
  );
}

export function AccountForms({ signedIn }: { signedIn: boolean }) {
  const router = useRouter();
  const [message, setMessage] = useState('');
  const submit = (url: string) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.currentTarget).entries());
    const result = await post(url, data);
    setMessage(result.ok ? 'Done.' : result.message);
    if (result.ok) router.refresh();
  };
  const logout = async () => {
    const result = await post('/api/account/logout', {});
    setMessage(result.ok ? 'Logged out.' : result.message);
    if (result.ok) router.refresh();
  };
  if (signedIn) {
    return (
      <div className="space-y-6">
        <form onSubmit={submit('/api/account/cohort')} className="space-y-2" aria-label="Join a cohort">
          <Field name="joinCode" label="Join code from your instructor" />
          <button className="rounded bg-slate-800 px-3 py-1 text-white">Join cohort</button>
        </form>
        <button onClick={() => void logout()} className="rounded border border-slate-300 px-3 py-1">
          Log out
        </button>
        {message && <p role="status" className="text-sm text-slate-700">{message}</p>}
      </div>
    );
  }
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <form onSubmit={submit('/api/account/signup')} className="space-y-2" aria-label="Sign up">
        <h2 className="font-semibold">Create an account</h2>
        <p className="text-sm text-slate-600">Your progress in this browser comes with you.</p>
        <Field name="email" label="Email" type="email" autoComplete="email" />
        <Field name="displayName" label="Name shown to your instructor" autoComplete="name" />
        <Field name="password" label="Password (8 characters or more)" type="password" autoComplete="new-password" />
        <button className="rounded bg-blue-700 px-3 py-1 text-white">Sign up</button>
      </form>
      <form onSubmit={submit('/api/account/login')} className="space-y-2" aria-label="Log in">
        <h2 className="font-semibold">Log in</h2>
        <Field name="email" label="Email" type="email" autoComplete="email" />
        <Field name="password" label="Password" type="password" autoComplete="current-password" />
        <button className="rounded bg-slate-800 px-3 py-1 text-white">Log in</button>
      </form>
      {message && <p role="status" className="text-sm text-slate-700 md:col-span-2">{message}</p>}
    </div>
  );
}
