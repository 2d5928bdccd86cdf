// Reads one scalar back from the text of a values file, given the source range the parser recorded: its style, its
// decoded value, and where each character of the value sits in the text (exactly for plain, single-line quoted and
// block scalars). This avoids parsing the file a second time: the detector needs the style and the columns, and
// ValuesDocument already holds every range.

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface ContentLine {
  /** The line of a block scalar without its indentation. */
  text: string;
  /** Offset of `text[0]` in the file. */
  offset: number;
}

export interface ScalarText {
  style: ScalarStyle;
  /** The value as YAML reads it (escapes decoded, lines folded). */
  value: string;
  /** The raw source text of the scalar (including quotes or the block header). */
  raw: string;
  /** When the value is its source verbatim (no escapes, no folding): offset of `value[0]` in the file. */
  exactAt?: number;
  /** Block scalars: the content lines with their offsets. */
  lines?: ContentLine[];
}

export function readScalar(text: string, start: number, end: number): ScalarText {
  const raw = text.slice(start, end);
  const first = raw[0];
  if (first === '|' || first === '>') return readBlock(text, start, end, raw);
  if (first === '"') return readDouble(raw, start);
  if (first === "'") return readSingle(raw, start);
  if (!raw.includes('\n')) return { style: 'plain', value: raw, raw, exactAt: start };
  return { style: 'plain', value: fold(raw.split('\n').map((l) => l.trim())), raw };
}

/** Flow folding: single line breaks become spaces, each empty line a newline. */
function fold(lines: string[]): string {
  let out = '';
  let pendingBreaks = 0;
  lines.forEach((line, i) => {
    if (i === 0) {
      out = line;
      return;
    }
    if (line === '' && i < lines.length - 1) {
      pendingBreaks++;
      return;
    }
    out += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
    pendingBreaks = 0;
    out += line;
  });
  return out;
}

function readSingle(raw: string, start: number): ScalarText {
  const closed = raw.length >= 2 && raw.endsWith("'");
  const body = raw.slice(1, closed ? -1 : undefined);
  if (!body.includes('\n')) {
    const value = body.replace(/''/g, "'");
    return value === body ? { style: 'single', value, raw, exactAt: start + 1 } : { style: 'single', value, raw };
  }
  const lines = body.split('\n').map((l, i, all) => (i === 0 ? l.trimEnd() : i === all.length - 1 ? l.trimStart() : l.trim()));
  return { style: 'single', value: fold(lines).replace(/''/g, "'"), raw };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function readDouble(raw: string, start: number): ScalarText {
  const closed = raw.length >= 2 && raw.endsWith('"') && !raw.endsWith('\\"');
  const body = raw.slice(1, closed ? -1 : undefined);
  if (!body.includes('\\') && !body.includes('\n')) return { style: 'double', value: body, raw, exactAt: start + 1 };
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i] ?? '';
    if (c === '\\') {
      const e = body[i + 1] ?? '';
      if (e === '\n') {
        // Escaped line break: joined with nothing, leading whitespace of the next line dropped.
        i += 2;
        while (body[i] === ' ' || body[i] === '\t') i++;
        continue;
      }
      const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hexLen > 0) {
        const hex = body.slice(i + 2, i + 2 + hexLen);
        const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen ? parseInt(hex, 16) : NaN;
        out += Number.isNaN(code) || code > 0x10ffff ? body.slice(i, i + 2 + hexLen) : String.fromCodePoint(code);
        i += 2 + hexLen;
        continue;
      }
      out += SIMPLE_ESCAPES[e] ?? `\\${e}`;
      i += 2;
      continue;
    }
    if (c === '\n') {
      // Unescaped line break: fold (trailing spaces before it and leading spaces after it are dropped).
      out = out.replace(/[ \t]+$/, '');
      let j = i + 1;
      let breaks = 0;
      for (;;) {
        while (body[j] === ' ' || body[j] === '\t') j++;
        if (body[j] === '\n') {
          breaks++;
          j++;
        } else break;
      }
      out += breaks > 0 ? '\n'.repeat(breaks) : ' ';
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return { style: 'double', value: out, raw };
}

function readBlock(text: string, start: number, end: number, raw: string): ScalarText {
  const folded = raw[0] === '>';
  const headerEnd = raw.indexOf('\n');
  const header = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const indicator = /^[|>]([+-]?)([1-9]?)([+-]?)/.exec(header);
  const chomp = (indicator?.[1] ?? '') + (indicator?.[3] ?? '');
  const explicit = Number(indicator?.[2] ?? '') || 0;
  if (headerEnd < 0) return { style: folded ? 'folded' : 'literal', value: '', raw, lines: [] };
  const contentStart = start + headerEnd + 1;
  let indent = explicit > 0 ? lineIndent(text, start) + explicit : -1;
  const lines: ContentLine[] = [];
  let pos = contentStart;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    const line = text.slice(pos, nl);
    if (indent < 0 && line.trim() !== '') indent = line.length - line.trimStart().length;
    const cut = indent < 0 ? line.length : Math.min(indent, leadingSpaces(line));
    lines.push({ text: line.slice(cut), offset: pos + cut });
    pos = nl + 1;
  }
  while (lines.length > 0 && (lines[lines.length - 1]?.text.trim() ?? '') === '') lines.pop();
  const parts = lines.map((l) => l.text);
  let value = folded ? foldBlock(parts) : parts.join('\n');
  if (chomp !== '-' && parts.length > 0) value += '\n';
  return { style: folded ? 'folded' : 'literal', value, raw, lines };
}

function foldBlock(parts: string[]): string {
  let out = '';
  parts.forEach((p, i) => {
    if (i === 0) out = p;
    else {
      const prev = parts[i - 1] ?? '';
      const joinWithSpace = p !== '' && prev !== '' && !/^\s/.test(p) && !/^\s/.test(prev);
      out += (joinWithSpace ? ' ' : '\n') + p;
    }
  });
  return out;
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (line[n] === ' ') n++;
  return n;
}

/** Indentation of the line holding `offset`. */
export function lineIndent(text: string, offset: number): number {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  let n = 0;
  while (text[ls + n] === ' ') n++;
  return n;
}
