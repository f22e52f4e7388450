import { describe, expect, it } from 'vitest';
import { cohortCsv, csvCell } from './csv';

describe('cohort CSV', () => {
  it('quotes separators and neutralises spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });

  it('writes one row per learner and item', () => {
    const csv = cohortCsv([
      {
        account: { id: '1', email: 'ada@example.org', displayName: 'Ada, L.', role: 'learner', createdMs: 0 },
        tasks: [{ exerciseId: 'transactions', taskId: 'commit', attempts: 2, passedAtMs: 1_000, lastMessage: '', lastCheckedMs: 2_000, lastPassed: true }],
        modulesCompleted: ['broker'],
        reads: [{ moduleSlug: 'broker', firstReadMs: 10, lastReadMs: 3_000, reads: 2 }],
        quizzes: [{ moduleSlug: 'broker', bestScore: 4, lastScore: 3, total: 5, attempts: 2, lastMs: 4_000 }],
      },
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('email,display_name,kind,item,status,score,attempts,last_activity_utc');
    expect(lines[1]).toBe('ada@example.org,"Ada, L.",task,transactions/commit,passed; latest check passed,,2,1970-01-01T00:00:02.000Z');
    expect(lines[2]).toBe('ada@example.org,"Ada, L.",module-read,broker,completed,,2,1970-01-01T00:00:03.000Z');
    expect(lines[3]).toBe('ada@example.org,"Ada, L.",quiz,broker,best 4/5,3,2,1970-01-01T00:00:04.000Z');
    expect(lines).toHaveLength(4);
  });
});
