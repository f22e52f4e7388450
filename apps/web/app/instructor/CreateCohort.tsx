'use client';
/** The instructor's "new cohort" form. */
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

export function CreateCohort() {
  const router = useRouter();
  const [message, setMessage] = useState('');
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    const response = await fetch('/api/instructor/cohorts', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
    const body = (await response.json().catch(() => ({}))) as { joinCode?: string; error?: string };
    setMessage(response.ok ? `Created; join code ${body.joinCode}` : (body.error ?? 'Could not create the cohort.'));
    if (response.ok) router.refresh();
  };
  return (
    <form onSubmit={submit} className="flex items-end gap-2" aria-label="New cohort">
      <label className="text-sm">
        <span className="block text-slate-700">New cohort</span>
        <input name="name" required className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <button className="rounded bg-slate-800 px-3 py-1 text-white">Create</button>
      {message && <span role="status" className="text-sm text-slate-600">{message}</span>}
    </form>
  );
}
