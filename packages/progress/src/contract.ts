/**
 * One behaviour, every adapter: the contract suite each ProgressStore implementation must
 * pass. Called from the SQLite and PostgreSQL test files.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';
import { StoreError, type ProgressStore } from './store';

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export function progressStoreContract(name: string, open: () => Promise<ProgressStore>): void {
  describe(`ProgressStore contract: ${name}`, () => {
    it('records attempts and keeps the first pass', async () => {
      const store = await open();
      const learner = await store.ensureLearner(unique('s'), 1);
      await store.recordCheck({ learnerId: learner, exerciseId: 'transactions', taskId: 'commit', passed: false, message: 'no commit marker yet', atMs: 10 });
      await store.recordCheck({ learnerId: learner, exerciseId: 'transactions', taskId: 'commit', passed: true, message: 'commit marker found', atMs: 20 });
      await store.recordCheck({ learnerId: learner, exerciseId: 'transactions', taskId: 'commit', passed: false, message: 'again', atMs: 30 });
      expect(await store.progress(learner)).toEqual([
        { exerciseId: 'transactions', taskId: 'commit', attempts: 3, passedAtMs: 20, lastMessage: 'again', lastCheckedMs: 30, lastPassed: false },
      ]);
      await store.close();
    });

    it('is idempotent for learners and modules', async () => {
      const store = await open();
      const session = unique('s');
      await store.ensureLearner(session, 1);
      await store.ensureLearner(session, 2);
      await store.completeModule(session, 'broker', 5);
      await store.completeModule(session, 'broker', 6);
      expect(await store.modulesCompleted(session)).toEqual(['broker']);
      await store.close();
    });

    it('creates accounts once per email and verifies passwords', async () => {
      const store = await open();
      const email = `${unique('a')}@example.org`;
      const passwordHash = await hashPassword('correct horse battery');
      const account = await store.createAccount({ email: email.toUpperCase(), displayName: 'Ada', passwordHash, role: 'learner', nowMs: 1 });
      expect(account.email).toBe(email);
      await expect(store.createAccount({ email, displayName: 'Eve', passwordHash, role: 'learner', nowMs: 2 })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
      const found = await store.accountByEmail(email);
      expect(found?.id).toBe(account.id);
      expect(await verifyPassword('correct horse battery', found?.passwordHash ?? '')).toBe(true);
      expect(await verifyPassword('wrong horse battery', found?.passwordHash ?? '')).toBe(false);
      await store.close();
    });

    it('keeps progress from every session linked to one account', async () => {
      const store = await open();
      const account = await store.createAccount({ email: `${unique('b')}@example.org`, displayName: 'Bo', passwordHash: 'x', role: 'learner', nowMs: 1 });
      const laptop = await store.ensureLearner(unique('s'), 1);
      const phone = await store.ensureLearner(unique('s'), 2);
      await store.recordCheck({ learnerId: laptop, exerciseId: 'geo', taskId: 'mirror', passed: true, message: 'ok', atMs: 50 });
      await store.recordCheck({ learnerId: phone, exerciseId: 'geo', taskId: 'mirror', passed: true, message: 'ok', atMs: 40 });
      await store.completeModule(phone, 'compaction', 3);
      await store.linkLearner(laptop, account.id);
      await store.linkLearner(phone, account.id);
      expect(await store.progress(laptop)).toEqual([{ exerciseId: 'geo', taskId: 'mirror', attempts: 2, passedAtMs: 40, lastMessage: 'ok', lastCheckedMs: 50, lastPassed: true }]);
      expect(await store.modulesCompleted(laptop)).toEqual(['compaction']);
      expect((await store.accountForLearner(phone))?.id).toBe(account.id);
      await store.close();
    });

    it('shows an instructor their cohort and nobody else', async () => {
      const store = await open();
      const teacher = await store.createAccount({ email: `${unique('t')}@example.org`, displayName: 'Teach', passwordHash: 'x', role: 'instructor', nowMs: 1 });
      const other = await store.createAccount({ email: `${unique('o')}@example.org`, displayName: 'Other', passwordHash: 'x', role: 'instructor', nowMs: 1 });
      const student = await store.createAccount({ email: `${unique('s')}@example.org`, displayName: 'Stu', passwordHash: 'x', role: 'learner', nowMs: 1 });
      const learner = await store.ensureLearner(unique('s'), 1);
      await store.linkLearner(learner, student.id);
      await store.recordCheck({ learnerId: learner, exerciseId: 'groups', taskId: 'static', passed: true, message: 'no rebalance', atMs: 9 });
      const cohort = await store.createCohort(teacher.id, 'Autumn', unique('code'), 2);
      await store.joinCohort(student.id, cohort.joinCode);
      const progress = await store.cohortProgress(teacher.id, cohort.id);
      expect(progress.map((p) => [p.account.displayName, p.tasks.length])).toEqual([['Stu', 1]]);
      await expect(store.cohortProgress(other.id, cohort.id)).rejects.toBeInstanceOf(StoreError);
      await expect(store.createCohort(student.id, 'Mine', unique('c'), 3)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(store.joinCohort(student.id, 'no-such-code')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await store.close();
    });

    it('rejects bad input without writing anything', async () => {
      const store = await open();
      const learner = await store.ensureLearner(unique('s'), 1);
      await expect(store.recordCheck({ learnerId: learner, exerciseId: "x'; DROP TABLE accounts; --", taskId: 't', passed: true, message: '', atMs: 1 })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(store.createAccount({ email: 'not an email', displayName: 'x', passwordHash: 'x', role: 'learner', nowMs: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.progress(learner)).toEqual([]);
      await store.close();
    });

    it('records module reads with first and last times across sessions of one account', async () => {
      const store = await open();
      const account = await store.createAccount({ email: `${unique('r')}@example.org`, displayName: 'Reader', passwordHash: 'x', role: 'learner', nowMs: 1 });
      const a = await store.ensureLearner(unique('s'), 1);
      const b = await store.ensureLearner(unique('s'), 1);
      await store.recordModuleRead(a, 'broker', 100);
      await store.recordModuleRead(a, 'broker', 300);
      await store.recordModuleRead(b, 'broker', 50);
      await store.recordModuleRead(b, 'transactions', 70);
      expect(await store.moduleReads(a)).toEqual([{ moduleSlug: 'broker', firstReadMs: 100, lastReadMs: 300, reads: 2 }]);
      await store.linkLearner(a, account.id);
      await store.linkLearner(b, account.id);
      expect(await store.moduleReads(a)).toEqual([
        { moduleSlug: 'broker', firstReadMs: 50, lastReadMs: 300, reads: 3 },
        { moduleSlug: 'transactions', firstReadMs: 70, lastReadMs: 70, reads: 1 },
      ]);
      await store.close();
    });

    it('keeps the best and the latest quiz score and rejects impossible ones', async () => {
      const store = await open();
      const learner = await store.ensureLearner(unique('s'), 1);
      await store.recordQuizScore({ learnerId: learner, moduleSlug: 'compaction', score: 4, total: 5, atMs: 10 });
      await store.recordQuizScore({ learnerId: learner, moduleSlug: 'compaction', score: 2, total: 5, atMs: 20 });
      expect(await store.quizScores(learner)).toEqual([{ moduleSlug: 'compaction', bestScore: 4, lastScore: 2, total: 5, attempts: 2, lastMs: 20 }]);
      await expect(store.recordQuizScore({ learnerId: learner, moduleSlug: 'compaction', score: 6, total: 5, atMs: 30 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.recordQuizScore({ learnerId: learner, moduleSlug: 'compaction', score: 1.5, total: 5, atMs: 30 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect((await store.quizScores(learner))[0]?.attempts).toBe(2);
      await store.close();
    });

    it("lists an instructor's cohorts with member counts and the members' reads and quizzes", async () => {
      const store = await open();
      const teacher = await store.createAccount({ email: `${unique('t')}@example.org`, displayName: 'T', passwordHash: 'x', role: 'instructor', nowMs: 1 });
      const student = await store.createAccount({ email: `${unique('s')}@example.org`, displayName: 'S', passwordHash: 'x', role: 'learner', nowMs: 1 });
      const learner = await store.ensureLearner(unique('s'), 1);
      await store.linkLearner(learner, student.id);
      await store.recordModuleRead(learner, 'broker', 5);
      await store.recordQuizScore({ learnerId: learner, moduleSlug: 'broker', score: 3, total: 4, atMs: 6 });
      const older = await store.createCohort(teacher.id, 'Spring', unique('c'), 1);
      const newer = await store.createCohort(teacher.id, 'Autumn', unique('c'), 2);
      await store.joinCohort(student.id, newer.joinCode);
      const cohorts = await store.cohortsOf(teacher.id);
      expect(cohorts.map((c) => [c.id, c.name, c.members])).toEqual([[newer.id, 'Autumn', 1], [older.id, 'Spring', 0]]);
      const [member] = await store.cohortProgress(teacher.id, newer.id);
      expect(member?.reads.map((r) => r.moduleSlug)).toEqual(['broker']);
      expect(member?.quizzes.map((q) => q.bestScore)).toEqual([3]);
      expect(await store.cohortsOf(student.id)).toEqual([]);
      await store.close();
    });
  });
}
