/**
 * Loads Monaco from the local monaco-editor package (never a CDN), only when an editor
 * is first shown: the exercise page imports this file dynamically, so none of it is in
 * any page's first-load JavaScript. TypeScript is checked against @kil/client's own
 * source, fetched from the server as extra libraries.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/typescript/typescript.contribution';
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
  /** The program compiled to an ES module, as the worker runs it. */
  compile(): Promise<string>;
  dispose(): void;
}

export async function mountEditor(container: HTMLElement, code: string, exerciseId: string, onChange: (code: string) => void): Promise<MountedEditor> {
  await loadClientTypes();
  const uri = monaco.Uri.parse(`file:///exercises/${exerciseId}/main.ts`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(code, 'typescript', uri);
  model.setValue(code);
  const editor = monaco.editor.create(container, { model, automaticLayout: true, minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, tabSize: 2 });
  const subscription = model.onDidChangeContent(() => onChange(model.getValue()));
  return {
    getValue: () => model.getValue(),
    setValue: (next) => model.setValue(next),
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
      editor.dispose();
    },
  };
}
