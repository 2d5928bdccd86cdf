// Conversions between the service's results (offsets into texts, 1-based findings) and LSP's shapes (0-based
// ranges, Diagnostics, CompletionItems, ...). Pure functions: the text of a file is passed in.
import {
  CodeActionKind,
  CompletionItemKind,
  CompletionItemTag,
  CreateFile,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type InlayHint,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { CodeActionResult } from '../service/features/codeActions';
import type { CodeLensResult, CompletionResult, FileSpan, HoverResult, InlayHintResult, SymbolResult } from '../service/features/types';
import type { Finding } from '../service/types';

/** An offset range of a document as an LSP range. */
export function rangeIn(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

/** An offset of a text (of a file that may not be open) as an LSP position. */
export function positionIn(text: string, offset: number): Position {
  return TextDocument.create('', '', 0, text).positionAt(offset);
}

/** A span of a file as a location; `textOf` gives the file's current text. */
export function toLocation(span: FileSpan, textOf: (file: string) => string): Location {
  const text = textOf(span.file);
  return { uri: URI.file(span.file).toString(), range: { start: positionIn(text, span.start), end: positionIn(text, span.end) } };
}

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

/** A finding (1-based, end exclusive) as a diagnostic; an empty range becomes one character long. */
export function toDiagnostic(f: Finding): Diagnostic {
  const end = { line: f.endLine - 1, character: Math.max(0, f.endColumn - 1) };
  const start = { line: f.line - 1, character: f.column - 1 };
  if (end.line === start.line && end.character <= start.character) end.character = start.character + 1;
  const d: Diagnostic = { range: { start, end }, severity: SEVERITY[f.severity], code: f.code, source: 'helm-values', message: f.message };
  if (f.code === 'helm.unused-key') d.tags = [DiagnosticTag.Unnecessary];
  const extra = f as Finding & { codeDescription?: { href: string }; related?: { line: number; column: number; endLine: number; endColumn: number; message: string }[] };
  if (extra.codeDescription) d.codeDescription = extra.codeDescription;
  if (extra.related && extra.related.length > 0) {
    d.relatedInformation = extra.related.map((r) => ({ location: { uri: URI.file(f.file).toString(), range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } } }, message: r.message }));
  }
  return d;
}

export function toHover(h: HoverResult, doc: TextDocument): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeIn(doc, h.start, h.end) };
}

export function toInlayHint(h: InlayHintResult, doc: TextDocument): InlayHint {
  return { position: doc.positionAt(h.offset), label: h.label, paddingLeft: true, ...(h.tooltip ? { tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } } : {}) };
}

export function toCodeLens(l: CodeLensResult, doc: TextDocument, textOf: (file: string) => string): CodeLens {
  return {
    range: rangeIn(doc, l.offset, l.offset),
    command: { title: l.title, command: l.targets.length > 0 ? 'helmValues.revealLocations' : '', arguments: [doc.uri, doc.positionAt(l.offset), l.targets.map((t) => toLocation(t, textOf))] },
  };
}

const SYMBOL_KIND: Record<SymbolResult['kind'], SymbolKind> = { object: SymbolKind.Module, array: SymbolKind.Array, string: SymbolKind.String, number: SymbolKind.Number, boolean: SymbolKind.Boolean, null: SymbolKind.Null };

export function toDocumentSymbol(x: SymbolResult, doc: TextDocument): DocumentSymbol {
  return { name: x.name, detail: x.detail, kind: SYMBOL_KIND[x.kind], range: rangeIn(doc, x.start, x.end), selectionRange: rangeIn(doc, x.selectionStart, x.selectionEnd), children: x.children.map((c) => toDocumentSymbol(c, doc)) };
}

export function toCompletionItem(c: CompletionResult, doc: TextDocument): CompletionItem {
  return {
    label: c.label,
    kind: c.kind === 'property' ? CompletionItemKind.Property : c.kind === 'snippet' ? CompletionItemKind.Snippet : CompletionItemKind.Value,
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    ...(c.sortText ? { sortText: c.sortText } : {}),
    ...(c.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // Snippets carry their absolute indentation: VS Code must not re-indent them.
    insertTextMode: InsertTextMode.asIs,
    textEdit: { range: rangeIn(doc, c.replaceStart, c.replaceEnd), newText: c.insertText },
  };
}

/**
 * A quick fix as a code action. Files with no text and not open (e.g. a .helmsecretsignore not written yet) may not
 * exist: with `createFiles` (the client applies resource operations) they are created first.
 */
export function toCodeAction(a: CodeActionResult, diagnostics: readonly Diagnostic[], file: { textOf: (file: string) => string; isOpen: (uri: string) => boolean }, createFiles: boolean): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  const maybeMissing = new Set<string>();
  for (const e of a.edits) {
    const text = file.textOf(e.file);
    const uri = URI.file(e.file).toString();
    if (text === '' && !file.isOpen(uri)) maybeMissing.add(uri);
    (changes[uri] ??= []).push({ range: { start: positionIn(text, e.start), end: positionIn(text, e.end) }, newText: e.newText });
  }
  const edit: WorkspaceEdit =
    maybeMissing.size === 0 || !createFiles
      ? { changes }
      : { documentChanges: [...[...maybeMissing].map((uri) => CreateFile.create(uri, { ignoreIfExists: true })), ...Object.entries(changes).map(([uri, edits]) => TextDocumentEdit.create({ uri, version: null }, edits))] };
  return { title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.preferred === true, diagnostics: diagnostics.filter((d) => d.code === a.code), edit };
}
