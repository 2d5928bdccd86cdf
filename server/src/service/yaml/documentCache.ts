// Parsed values documents, kept per file and reused while the text is unchanged. One cache lives as long as its
// owner (a CLI run, a language-server session); it holds one parse per file.
import { parseValuesDocument, reparseValuesDocument, type ValuesDocument } from './valuesDocument';

export class DocumentCache {
  private readonly docs = new Map<string, ValuesDocument>();

  /** The parsed document for `file` with this exact text, parsing only when the text changed. */
  get(file: string, text: string): ValuesDocument {
    const prev = this.docs.get(file);
    if (prev && prev.text === text) return prev;
    // An edited file re-parses only the top-level blocks whose text changed.
    const doc = prev ? reparseValuesDocument(prev, text) : parseValuesDocument(file, text);
    this.docs.set(file, doc);
    return doc;
  }

  delete(file: string): void {
    this.docs.delete(file);
  }
}
