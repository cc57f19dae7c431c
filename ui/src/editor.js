// The code editor: CodeMirror 6 with Python, line numbers, Tab indenting,
// auto-indent, Ctrl/Cmd+Enter to run and Ctrl/Cmd+Shift+Enter to test.
//
// It lives in a shadow root: there CodeMirror's style-mod puts its rules in a
// constructed style sheet (adoptedStyleSheets), which the page's CSP
// (style-src 'self', no inline <style>) allows. Colours are CSS variables
// from style.css, so light and dark follow the system.
//
//   const editor = createEditor(host, {doc, label, description, onRun, onTest, onChange});
//   editor.code();  editor.setCode(text);  editor.markLine(3);  editor.focus();

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import {
  bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting,
} from "@codemirror/language";
import { EditorSelection, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration, drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, keymap, lineNumbers,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword],
    color: "var(--tok-keyword)" },
  { tag: [t.string, t.special(t.string)], color: "var(--tok-string)" },
  { tag: t.comment, color: "var(--tok-comment)", fontStyle: "italic" },
  { tag: [t.number, t.bool, t.null], color: "var(--tok-number)" },
  { tag: [t.function(t.definition(t.variableName)), t.definition(t.className), t.className],
    color: "var(--tok-definition)" },
  { tag: [t.self, t.meta], color: "var(--tok-special)" },
  { tag: t.invalid, color: "var(--err)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", color: "var(--fg)", backgroundColor: "var(--panel)", fontSize: "var(--code-size)" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--fg)", padding: "6px 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground":
    { backgroundColor: "var(--selection)" },
  ".cm-gutters": {
    color: "var(--muted)", backgroundColor: "var(--gutter)", borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--active-line)", color: "var(--fg)" },
  ".cm-errorLine": { backgroundColor: "var(--error-line)" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--bracket)", outline: "none" },
});

// The line a traceback points at, highlighted until the code changes.
const setErrorLine = StateEffect.define();
const errorLineField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const n = effect.value;
      if (n === null || n < 1 || n > tr.state.doc.lines) return Decoration.none;
      const line = tr.state.doc.line(n);
      return Decoration.set([Decoration.line({ class: "cm-errorLine" }).range(line.from)]);
    }
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor(host, { doc, label, description, onRun, onTest, onChange }) {
  const root = host.attachShadow({ mode: "open" });
  const runKey = { key: "Mod-Enter", run: () => (onRun(), true), preventDefault: true };
  // Bound here: else CodeMirror would take it as Mod-Enter (a blank line).
  const testKey = { key: "Shift-Mod-Enter", run: () => (onTest(), true), preventDefault: true };
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      EditorState.tabSize.of(4),
      indentUnit.of("    "),
      python(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      syntaxHighlighting(highlightStyle),
      errorLineField,
      Prec.highest(keymap.of([runKey, testKey])),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.contentAttributes.of({
        // Inside the shadow root an id in the page cannot be referenced:
        // the editor's name and hint are given as text.
        "aria-label": label,
        "aria-description": description,
        spellcheck: "false",
        autocapitalize: "off",
        autocorrect: "off",
      }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange();
      }),
      theme,
    ],
  });
  const view = new EditorView({ state, parent: root, root });

  return {
    code: () => view.state.doc.toString(),
    // One undoable change: Ctrl+Z brings the previous code back.
    setCode(text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: EditorSelection.cursor(0),
        scrollIntoView: true,
      });
    },
    markLine(n) {
      view.dispatch({ effects: setErrorLine.of(n) });
    },
    goToLine(n) {
      if (n < 1 || n > view.state.doc.lines) return;
      const line = view.state.doc.line(n);
      view.dispatch({ selection: EditorSelection.cursor(line.to), scrollIntoView: true });
      view.focus();
    },
    focus: () => view.focus(),
  };
}
