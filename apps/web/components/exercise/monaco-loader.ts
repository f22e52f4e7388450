/**
 * Loads Monaco from the local monaco-editor package (never a CDN), only when an editor
 * is first shown: the exercise page imports this file dynamically, so none of it is in
 * any page's first-load JavaScript. TypeScript is checked against @kil/client's own
 * source, fetched from the server as extra libraries.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/typescript/typescript.contribution';
// Property files (key=value, # comments) read well with the ini grammar.
import 'monaco-editor/esm/vs/basic-languages/ini/ini.contribution';
import 'monaco-editor/esm/vs/language/typescript/monaco.contribution';
import 'monaco-editor/min/vs/editor/editor.main.css';

type MonacoEnv = { MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker } };

(self as unknown as MonacoEnv).MonacoEnvironment = {
  getWorker(_workerId, label) {
    if (label === 'typescript' || label === 'javascript') {
      return new Worker(new URL('monaco-editor/esm/vs/language/typescript/ts.worker.js', import.meta.url), { type: 'module' });
    }
    return new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url), { type: 'module' });
  },
};

const ts = monaco.languages.typescript;
let typesLoaded: Promise<void> | null = null;

function loadClientTypes(): Promise<void> {
  typesLoaded ??= (async () => {
    ts.typescriptDefaults.setCompilerOptions({
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      strict: true,
      noEmitOnError: false,
      allowNonTsExtensions: true,
      lib: ['es2020'],
    });
    const response = await fetch('/api/client-types');
    if (!response.ok) return;
    const files = (await response.json()) as Record<string, string>;
    for (const [name, text] of Object.entries(files)) ts.typescriptDefaults.addExtraLib(text, `file:///node_modules/@kil/client/${name}`);
  })();
  return typesLoaded;
}

export interface MountedEditor {
  getValue(): string;
  setValue(code: string): void;
  /** Shows the program (`main.ts`) or one of the property files by name. */
  show(name: string): void;
  /** Replaces a property file's text (Reset to starter). */
  setFile(name: string, text: string): void;
  /** The program compiled to an ES module, as the worker runs it. */
  compile(): Promise<string>;
  dispose(): void;
}

/** A property file the editor shows as a tab beside the program. */
export interface EditorFile {
  readonly name: string;
  readonly text: string;
}

export const programTab = 'main.ts';

export async function mountEditor(
  container: HTMLElement,
  code: string,
  exerciseId: string,
  onChange: (code: string) => void,
  files: readonly EditorFile[] = [],
  onFileChange: (name: string, text: string) => void = () => {},
): Promise<MountedEditor> {
  await loadClientTypes();
  const uri = monaco.Uri.parse(`file:///exercises/${exerciseId}/main.ts`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(code, 'typescript', uri);
  model.setValue(code);
  const editor = monaco.editor.create(container, { model, automaticLayout: true, minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, tabSize: 2 });
  const subscription = model.onDidChangeContent(() => onChange(model.getValue()));
  const fileModels = new Map(files.map((f) => [f.name, fileModel(exerciseId, f)]));
  const fileSubscriptions = [...fileModels].map(([name, m]) => m.onDidChangeContent(() => onFileChange(name, m.getValue())));
  return {
    getValue: () => model.getValue(),
    setValue: (next) => model.setValue(next),
    show: (name) => editor.setModel(fileModels.get(name) ?? model),
    setFile: (name, text) => fileModels.get(name)?.setValue(text),
    async compile() {
      const getWorker = await ts.getTypeScriptWorker();
      const worker = await getWorker(uri);
      const output = await worker.getEmitOutput(uri.toString());
      const js = output.outputFiles.find((f) => f.name.endsWith('.js'));
      if (!js) throw new Error('The TypeScript compiler produced no JavaScript.');
      return js.text;
    },
    dispose() {
      subscription.dispose();
      for (const s of fileSubscriptions) s.dispose();
      editor.dispose();
      for (const m of fileModels.values()) m.dispose();
    },
  };
}

/** A property file's model: plain key=value text, highlighted as ini. */
function fileModel(exerciseId: string, file: EditorFile): monaco.editor.ITextModel {
  const uri = monaco.Uri.parse(`file:///exercises/${exerciseId}/${encodeURIComponent(file.name)}`);
  const existing = monaco.editor.getModel(uri);
  if (existing) {
    existing.setValue(file.text);
    return existing;
  }
  return monaco.editor.createModel(file.text, 'ini', uri);
}
