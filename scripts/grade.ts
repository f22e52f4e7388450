/**
 * npm run grade -- <exercise-or-challenge-id> --solution|--starter|--transcript <file>
 * Grades one exercise or module challenge on a fresh fast-forward lab; exit code 0 only when every check passes.
 */
import { readFileSync } from 'node:fs';
import { gradeCli } from '@kil/grader';
import { challenges } from '../content/challenges/index';
import { exercises } from '../exercises/index';

const code = await gradeCli(process.argv.slice(2), [...exercises, ...challenges], {
  out: (text) => process.stdout.write(text),
  readFile: (file) => readFileSync(file, 'utf8'),
});
process.exit(code);
