/**
 * The instructor's CSV export: one row per learner and item (task, module read, quiz),
 * RFC 4180 quoting, and cells that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) prefixed with an apostrophe so that a learner's display name can
 * never execute in the instructor's spreadsheet.
 */
import type { CohortMemberProgress } from './store';

export const cohortCsvHeader = ['email', 'display_name', 'kind', 'item', 'status', 'score', 'attempts', 'last_activity_utc'] as const;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const iso = (ms: number | null): string | null => (ms === null || ms <= 0 ? null : new Date(ms).toISOString());

export function cohortCsv(members: readonly CohortMemberProgress[]): string {
  const rows: (string | number | null)[][] = [[...cohortCsvHeader]];
  for (const m of members) {
    const who = [m.account.email, m.account.displayName];
    for (const t of m.tasks) {
      const status = t.passedAtMs !== null ? 'passed' : 'attempted';
      rows.push([...who, 'task', `${t.exerciseId}/${t.taskId}`, `${status}; latest check ${t.lastPassed ? 'passed' : 'failed'}`, null, t.attempts, iso(t.lastCheckedMs || t.passedAtMs)]);
    }
    for (const r of m.reads) rows.push([...who, 'module-read', r.moduleSlug, m.modulesCompleted.includes(r.moduleSlug) ? 'completed' : 'read', null, r.reads, iso(r.lastReadMs)]);
    for (const slug of m.modulesCompleted.filter((s) => !m.reads.some((r) => r.moduleSlug === s))) rows.push([...who, 'module-read', slug, 'completed', null, null, null]);
    for (const q of m.quizzes) rows.push([...who, 'quiz', q.moduleSlug, `best ${q.bestScore}/${q.total}`, q.lastScore, q.attempts, iso(q.lastMs)]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
