import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2 text-slate-700">
        There is no such page. The <Link href="/" className="text-blue-700 underline">course home</Link> lists every module and exercise.
      </p>
    </div>
  );
}
