/**
 * A small syntax highlighter for the code fences in lessons and exercises, run on the
 * server while a lesson renders, so a code block reaches the browser as plain spans and
 * costs no script. It knows the languages the course uses (shell and console sessions,
 * TypeScript, JSON, Java-style properties and YAML) well enough to colour them; it is
 * not a parser, and text it does not recognise stays plain rather than failing.
 *
 * Each token carries a kind; the page styles `.tok-<kind>` for the light and dark themes
 * (app/reading.css). An unknown language is shown as plain text.
 */

export type TokenKind = 'com' | 'str' | 'num' | 'kw' | 'lit' | 'key' | 'punct' | 'op' | 'cmd' | 'flag' | 'var' | 'prompt' | 'out';

export interface Token {
  readonly text: string;
  /** null for text that is shown without colour. */
  readonly kind: TokenKind | null;
}

type Classify = TokenKind | null | ((match: string, rest: string) => TokenKind | null);
interface Rule {
  readonly re: RegExp;
  readonly kind: Classify;
}

const aliases: Record<string, string> = {
  sh: 'shell', bash: 'shell', shell: 'shell', zsh: 'shell',
  console: 'console', 'shell-session': 'console', terminal: 'console',
  ts: 'ts', typescript: 'ts', tsx: 'ts', js: 'ts', javascript: 'ts', jsx: 'ts', mjs: 'ts',
  json: 'json', jsonc: 'json',
  properties: 'properties', props: 'properties', ini: 'properties',
  yaml: 'yaml', yml: 'yaml',
  text: 'text', txt: 'text', plain: 'text', plaintext: 'text',
};

/** The highlighter's name for a fence's language, or 'text' for one it does not know. */
export function normaliseLanguage(lang: string | null | undefined): string {
  return aliases[(lang ?? '').toLowerCase()] ?? 'text';
}

const tsKeywords = new Set(
  ('as async await break case catch class const continue default delete do else enum export extends finally for from function ' +
    'if implements import in instanceof interface let new of private protected public readonly return satisfies static switch ' +
    'throw try type typeof var void while yield').split(' '),
);
const tsLiterals = new Set(['true', 'false', 'null', 'undefined', 'this']);

const quoted = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/y;

const tsRules: readonly Rule[] = [
  { re: /\/\/[^\n]*|\/\*[\s\S]*?\*\//y, kind: 'com' },
  { re: /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\[\s\S])*`/y, kind: 'str' },
  { re: /0[xX][0-9a-fA-F_]+n?|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?n?/y, kind: 'num' },
  { re: /[A-Za-z_$][\w$]*/y, kind: (word) => (tsKeywords.has(word) ? 'kw' : tsLiterals.has(word) ? 'lit' : null) },
  { re: /=>|[=!<>]=?=?|&&|\|\||\?\?|[+\-*/%]=?/y, kind: 'op' },
  { re: /[{}[\]();,.:?]/y, kind: 'punct' },
];

const jsonRules: readonly Rule[] = [
  { re: /"(?:[^"\\\n]|\\.)*"/y, kind: (_text, rest) => (/^\s*:/.test(rest) ? 'key' : 'str') },
  { re: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y, kind: 'num' },
  { re: /true|false|null/y, kind: 'lit' },
  { re: /[{}[\],:]/y, kind: 'punct' },
];

/** Runs a rule list over text; characters no rule matches stay plain. */
function scan(code: string, rules: readonly Rule[]): Token[] {
  const tokens: Token[] = [];
  let plain = '';
  let at = 0;
  outer: while (at < code.length) {
    for (const rule of rules) {
      rule.re.lastIndex = at;
      const match = rule.re.exec(code);
      if (!match || match[0].length === 0) continue;
      const text = match[0];
      const kind = typeof rule.kind === 'function' ? rule.kind(text, code.slice(at + text.length, at + text.length + 40)) : rule.kind;
      if (kind === null) {
        plain += text;
      } else {
        if (plain) tokens.push({ text: plain, kind: null });
        plain = '';
        tokens.push({ text, kind });
      }
      at += text.length;
      continue outer;
    }
    plain += code[at];
    at += 1;
  }
  if (plain) tokens.push({ text: plain, kind: null });
  return tokens;
}

/**
 * One shell command line (or several joined by `|`, `;`, `&&`). The first word of each
 * command is the command's name; words that start with a dash are options.
 */
function shellTokens(code: string): Token[] {
  let commandNext = true;
  const rules: readonly Rule[] = [
    { re: /#[^\n]*/y, kind: 'com' },
    { re: quoted, kind: () => ((commandNext = false), 'str') },
    { re: /\$\{?\w+\}?/y, kind: () => ((commandNext = false), 'var') },
    { re: /\n|&&|\|\||[|;]/y, kind: () => ((commandNext = true), 'op') },
    { re: /\\(?=\n)|[<>()&]+/y, kind: 'op' },
    { re: /-{1,2}[A-Za-z0-9][\w.-]*/y, kind: () => ((commandNext = false), 'flag') },
    { re: /[^\s'"|;&<>()$]+/y, kind: () => (commandNext ? ((commandNext = false), 'cmd') : null) },
  ];
  return scan(code, rules);
}

/** A console session: lines that start with a `$ ` prompt are commands, the rest is their output. */
function consoleTokens(code: string): Token[] {
  const tokens: Token[] = [];
  let continued = false;
  for (const [index, line] of code.split('\n').entries()) {
    if (index > 0) tokens.push({ text: '\n', kind: null });
    const prompt = /^(\s*[$#>] )/.exec(line);
    if (prompt?.[1] && !continued) {
      tokens.push({ text: prompt[1], kind: 'prompt' });
      tokens.push(...shellTokens(line.slice(prompt[1].length)));
      continued = line.endsWith('\\');
    } else if (continued) {
      tokens.push(...shellTokens(line));
      continued = line.endsWith('\\');
    } else if (line) {
      tokens.push({ text: line, kind: 'out' });
    }
  }
  return tokens;
}

/** `key=value` lines with `#` or `!` comments, as in server.properties. */
function propertiesTokens(code: string): Token[] {
  const tokens: Token[] = [];
  for (const [index, line] of code.split('\n').entries()) {
    if (index > 0) tokens.push({ text: '\n', kind: null });
    const pair = /^(\s*)([^=:\s#!][^=:\s]*)(\s*[=:]\s*|\s+)(.*)$/.exec(line);
    if (/^\s*[#!]/.test(line)) tokens.push({ text: line, kind: 'com' });
    else if (pair) {
      const [, indent = '', key = '', separator = '', value = ''] = pair;
      if (indent) tokens.push({ text: indent, kind: null });
      tokens.push({ text: key, kind: 'key' }, { text: separator, kind: 'op' });
      if (value) tokens.push({ text: value, kind: 'str' });
    } else if (line) tokens.push({ text: line, kind: null });
  }
  return tokens;
}

/** YAML as lessons write it: keys, scalars, list dashes and comments; no anchors or block scalars. */
function yamlTokens(code: string): Token[] {
  const tokens: Token[] = [];
  for (const [index, line] of code.split('\n').entries()) {
    if (index > 0) tokens.push({ text: '\n', kind: null });
    const parts = /^(\s*)(- )?(?:([^\s#:][^:#]*?)(:)(?=\s|$))?(\s*)([^#]*?)(\s*)(#.*)?$/.exec(line);
    if (!parts) {
      tokens.push({ text: line, kind: null });
      continue;
    }
    const [, indent, dash, key, colon, gap, value, trail, comment] = parts;
    const push = (text: string | undefined, kind: TokenKind | null) => void (text ? tokens.push({ text, kind }) : undefined);
    push(indent, null);
    push(dash, 'punct');
    push(key, 'key');
    push(colon, 'punct');
    push(gap, null);
    push(value, value ? yamlScalarKind(value) : null);
    push(trail, null);
    push(comment, 'com');
  }
  return tokens;
}

function yamlScalarKind(value: string): TokenKind {
  if (/^(true|false|null|~|yes|no)$/i.test(value)) return 'lit';
  if (/^-?\d+(\.\d+)?$/.test(value)) return 'num';
  return 'str';
}

/** Splits code into coloured tokens; joining every token's text gives the code back unchanged. */
export function highlight(code: string, lang: string | null | undefined): Token[] {
  switch (normaliseLanguage(lang)) {
    case 'ts':
      return scan(code, tsRules);
    case 'json':
      return scan(code, jsonRules);
    case 'shell':
      return shellTokens(code);
    case 'console':
      return consoleTokens(code);
    case 'properties':
      return propertiesTokens(code);
    case 'yaml':
      return yamlTokens(code);
    default:
      return code ? [{ text: code, kind: null }] : [];
  }
}
