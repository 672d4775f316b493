import { useEffect, useMemo, useRef, useState } from 'react';
import { basicSetup, EditorView } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { Problem } from '../../rules/draft-problems.js';
import { lineColumn, parseJson, spanOfPointer } from '../../rules/json-text.js';
import type { DraftDocument } from '../../rules/draft-edits.js';
import { keysByName } from '../common/row-keys.js';

/** Gutters and markers dark enough for AA contrast on the console's light background. */
const theme = EditorView.theme({
  '&': { border: '1px solid #8a94a6', borderRadius: '3px', height: '65vh', fontSize: '0.9rem' },
  '.cm-scroller': { overflow: 'auto' },
  '.cm-gutters': { backgroundColor: '#f3f5f8', color: '#4a5568', borderRight: '1px solid #cbd2dc' },
  '.cm-activeLineGutter': { backgroundColor: '#e2e8f0', color: '#1d2430' },
  '&.cm-focused': { outline: '3px solid #f2a900' },
});

interface Mark {
  from: number;
  to: number;
  line: number;
  message: string;
  path?: string;
}

/** Puts the cursor at `from`, scrolled to the top of the editor, and the keyboard focus there when asked. */
function show(editor: EditorView | null, from: number, focus: boolean): void {
  if (!editor) return;
  editor.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: 'start', yMargin: 8 }) });
  if (focus) editor.focus();
}

/** Shows where `pointer` lands in the text, when the text is JSON and holds it. */
function showPointer(editor: EditorView | null, parsed: ReturnType<typeof parseJson>, pointer: string, focus: boolean): void {
  if (!parsed.ok) return;
  const span = spanOfPointer(parsed.spans, pointer);
  if (span) show(editor, span.from, focus);
}

/**
 * The JSON view of the draft (CodeMirror 6, loaded when first opened): every edit goes back to the
 * draft when it is valid JSON of a draft, and is kept as typed when it is not. Problems of the last
 * refused save are marked where their pointers land and listed below; invalid JSON is marked where
 * it breaks.
 */
export default function JsonView({
  text,
  onChange,
  problems,
  draft,
  jumpTo,
  label,
}: {
  text: string;
  onChange(text: string): void;
  problems: Problem[];
  draft: DraftDocument;
  jumpTo: { pointer: string; at: number } | null;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [target, setTarget] = useState('');
  const parsed = useMemo(() => parseJson(text), [text]);
  // The editor and the jumps outlive a render: they read the latest props and parse through this.
  const latest = useRef({ text, onChange, label, parsed });
  latest.current = { text, onChange, label, parsed };
  const marks = useMemo<Mark[]>(() => {
    if (!parsed.ok)
      return [
        { from: parsed.at, to: Math.min(parsed.at + 1, text.length), line: lineColumn(text, parsed.at).line, message: parsed.message },
      ];
    return problems.flatMap((problem) => {
      const span = spanOfPointer(parsed.spans, problem.path);
      return span
        ? [
            {
              from: span.from,
              to: span.to,
              line: lineColumn(text, span.from).line,
              message: span.exact ? problem.message : `${problem.path.split('/').pop()}: ${problem.message}`,
              path: problem.path,
            },
          ]
        : [];
    });
  }, [parsed, problems, text]);

  useEffect(() => {
    const editor = new EditorView({
      doc: latest.current.text,
      parent: host.current!,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        theme,
        EditorView.lineWrapping,
        // An explicit tabindex: axe counts the editable content as keyboard access to its scroller only with one.
        EditorView.contentAttributes.of({ 'aria-label': latest.current.label, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onChange(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; later text from outside is dispatched into it below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== text)
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  }, [text]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const diagnostics: Diagnostic[] = marks.map((mark) => ({
      from: Math.min(mark.from, editor.state.doc.length),
      to: Math.min(mark.to, editor.state.doc.length),
      severity: 'error',
      message: mark.message,
    }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [marks]);

  useEffect(() => {
    // Jumps are requested by the editor around it (opening the view at the selected rule, a problem's "Show").
    if (jumpTo) showPointer(view.current, latest.current.parsed, jumpTo.pointer, jumpTo.at > 0);
  }, [jumpTo]);

  const targetTexts = [
    ...draft.rules.map((rule, index) => ({ pointer: `/rules/${index}`, text: `rule ${String(rule.name)}` })),
    ...draft.tests.map((test, index) => ({ pointer: `/tests/${index}`, text: `test ${String(test.name)}` })),
  ];
  const targetKeys = keysByName(targetTexts.map(({ text }) => text));
  const targets = targetTexts.map((target, index) => ({ ...target, key: targetKeys[index]! }));

  return (
    <div className="json-view">
      <div className="toolbar">
        <label className="field inline">
          <span>Go to</span>
          <select
            value={target}
            disabled={!parsed.ok}
            onChange={(event) => {
              setTarget(event.target.value);
              if (event.target.value) showPointer(view.current, parsed, event.target.value, true);
            }}
          >
            <option value="">a rule or test…</option>
            {targets.map(({ key, pointer, text }) => (
              <option key={key} value={pointer}>
                {text}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!parsed.ok && (
        <p className="error" role="alert">
          Invalid JSON at line {lineColumn(text, parsed.at).line}, column {lineColumn(text, parsed.at).column}: {parsed.message}. It is kept
          here as typed and not applied: the builder shows the last valid draft.
        </p>
      )}
      <div ref={host} />
      {parsed.ok && marks.length > 0 && (
        <section aria-labelledby="json-problems-title">
          <h3 id="json-problems-title">Problems in this JSON</h3>
          <ul className="json-problems">
            {marks.map((mark) => (
              <li key={`${mark.path}:${mark.message}`}>
                <button type="button" className="link" onClick={() => show(view.current, mark.from, true)}>
                  Line {mark.line}
                </button>{' '}
                <code>{mark.path}</code>: {mark.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
