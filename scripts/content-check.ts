/**
 * `npm run content:check`: validates every module and exercise and prints one line per
 * problem as file:line: message. Exits non-zero when anything is wrong.
 */
import { checkContent } from './content-rules';

const problems = await checkContent();
for (const problem of problems) console.log(`${problem.file}:${problem.line}: ${problem.message}`);
if (problems.length > 0) {
  console.log(`\n${problems.length} problem(s) in ${new Set(problems.map((p) => p.file)).size} file(s).`);
  process.exit(1);
}
console.log('All content is valid.');
