/**
 * The lab's built-in producers and consumers (the shell's `clients` command). Their one
 * implementation lives in @kil/grader (built-in-clients.ts) so that the grading lab runs the
 * same clients as a learner's lab; this module keeps the lab's import path.
 */
export { BuiltInClients } from '@kil/grader';
