// detectSecrets: plaintext secrets in a values file (docs/secrets-policy.md), structure-aware. It walks the entries
// that ValuesDocument already indexed (no second parse): key paths, effective names (sibling `name:` of env items,
// the previous `--flag` of args), embedded manifests (`kind: Secret` data is base64-decoded; ExternalSecret and
// SealedSecret specs are skipped), anchors and aliases (reported at the anchor, related information at each use),
// block scalars re-scanned line by line with exact columns. Pure and total; memoized per document.
import type { Finding } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { resolvePlainScalar } from '../yaml/scalars';
import { ignoreEntryMatches } from './ignoreFile';
import { formatKeyPath, matchKeyPath } from './keyPath';
import { isReferenceContainer, NameClassifier, type NameInfo } from './names';
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import { compileOptions, type CompiledOptions, type SecretOptions } from './options';
import { decodeBase64Text, redact, valueFingerprint } from './redact';
import { entropyHit, formatHits, isIdentifier, isPublicMaterial, mayHaveFormat, nameHit, suppressedValue, type Hit, type RuleOptions } from './rules';
import { readScalar, type ScalarText } from './scalarText';

export type { SecretOptions } from './options';

/** Base of the `codeDescription` links of secret diagnostics (`#<rule>` is appended). */
export const SECRET_DOCS_URL = 'https://example.invalid/helm-values/docs/secrets-decisions.md';

export interface RelatedSpan {
  offset: number;
  endOffset: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface SecretFinding extends Finding {
  offset: number;
  endOffset: number;
  /** Rule id: the code without `secret.`. */
  rule: string;
  /** Key path of the value that holds the secret (`auth.password`, `env[0].value`). */
  path: readonly PathSegment[];
  keyPath: string;
  /** Key path used by ignore entries: `keyPath`, plus `>subkey` for a line of a block scalar. */
  fingerprintPath: string;
  /** The secret, redacted: `ghp_…LHBR (40 chars)`. */
  redacted: string;
  /** sha256(secret)[:12], for ignore entries that lapse when the value changes. */
  valueHash: string;
  codeDescription: { href: string };
  /** Alias and merge sites that reuse the anchored value. */
  related: RelatedSpan[];
  /** The key/value entry that holds the secret (for quick fixes). */
  entry: { keyStart: number; keyEnd: number; valueStart: number; valueEnd: number };
  /** The secret is part of a longer scalar (a line of a block, a URL's password, a `--flag=` value). */
  partial: boolean;
}

/** Plaintext secrets in one values file. Never throws; returns [] for SOPS-encrypted files and ignored paths. */
/** `caches`: the host's (compiled options and name classifications are kept there); without, this call's own. */
export function detectSecrets(doc: ValuesDocument, options: SecretOptions = {}, caches?: ServiceCaches): SecretFinding[] {
  const o = compileOptions(options, caches);
  if (!o.enabled) return [];
  const file = o.relativePath ?? doc.file;
  if (o.ignorePaths.some((re) => re.test(file.replace(/\\/g, '/')))) return [];
  const all = candidates(doc, o.rules, o.rulesKey, caches?.get(NAMES) ?? new NameClassifier());
  return all.filter((f) => keep(f, o, file, caches));
}

/** Key names classified so far (names repeat across files and edits). */
const NAMES = memoKey('secrets.name-classifier', () => new NameClassifier());

function keep(f: SecretFinding, o: CompiledOptions, file: string, caches: ServiceCaches | undefined): boolean {
  if (o.disabled.has(f.code)) return false;
  if (!o.placeholders && f.code === 'secret.placeholder') return false;
  if (o.ignoreKeyPaths.some((g) => matchKeyPath(g, f.path))) return false;
  const secret = secretOf.get(f) ?? '';
  if (o.ignoreValues.some((re) => re.test(secret))) return false;
  return !o.ignoreEntries.some((e) => ignoreEntryMatches(e, { file, code: f.code, path: f.path, fingerprintPath: f.fingerprintPath }, () => f.valueHash, caches));
}

/**
 * The raw secret of each finding, kept out of the finding's data so it is never serialized by accident: under a
 * symbol, not enumerable (JSON.stringify, spreads and structured logs skip it).
 */
const SECRET = Symbol('secret');
const secretOf = {
  get: (f: SecretFinding): string | undefined => (f as unknown as { [SECRET]?: string })[SECRET],
  set: (f: SecretFinding, secret: string): void => {
    Object.defineProperty(f, SECRET, { value: secret, enumerable: false });
  },
};

/** The secret text of a finding (for `ignoreValues` and fixes); never put it in a message. */
export function secretText(f: SecretFinding): string | undefined {
  return secretOf.get(f);
}

// ---------------------------------------------------------------------------------------------------------------
// Memo: options-independent findings per document (and per rule-affecting options).

const CANDIDATES = memoKey('secrets.candidates', () => new Map<string, SecretFinding[]>());

function candidates(doc: ValuesDocument, rules: RuleOptions, rulesKey: string, names: NameClassifier): SecretFinding[] {
  const byKey = doc.memo.get(CANDIDATES);
  const hit = byKey.get(rulesKey);
  if (hit) return hit;
  const found = new Detector(doc, rules, names).run();
  byKey.set(rulesKey, found);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------

interface Props {
  anchor?: string;
  tag?: string;
}

/** What an entry's ancestors say about it. */
interface Ctx {
  /** Under `sops:`, a reference container (secretKeyRef, existingSecret: {...}), an ExternalSecret or a SealedSecret. */
  skip: boolean;
  /** The embedded manifest this entry is inside, and the path length of the manifest's map. */
  manifestKind?: string;
  manifestDepth: number;
  /** Anchors on the containers above (their alias sites get related information). */
  anchors: readonly { name: string; offset: number }[];
}

const NO_PROPS: Props = {};
const ROOT_CTX: Ctx = { skip: false, manifestDepth: -1, anchors: [] };
const SKIPPED_KINDS = new Set(['ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore', 'PushSecret', 'SealedSecret']);
const GENERIC_LEAVES = new Set(['value', 'val']);

interface Candidate {
  hit: Hit;
  start: number;
  end: number;
  entry: number;
  partial: boolean;
  /** For block lines: the key of the line, appended to the fingerprint path. */
  subKey?: string;
}

class Detector {
  private readonly text: string;
  private readonly entries: readonly KeyEntry[];
  private readonly parent: Int32Array;
  private readonly container: Uint8Array;
  private readonly children: (number[] | undefined)[];
  private readonly ctx: Ctx[];
  private readonly scalars = new Map<number, ScalarText>();
  private readonly props = new Map<number, Props>();
  private readonly out: Candidate[] = [];
  /** Anchored scalars by anchor name, in document order. */
  private readonly scalarAnchors = new Map<string, number[]>();
  /** The `key` of the block line each line-scan hit came from. */
  private readonly subKeys = new WeakMap<Hit, string>();

  constructor(
    private readonly doc: ValuesDocument,
    private readonly rules: RuleOptions,
    private readonly names: NameClassifier,
  ) {
    this.text = doc.text;
    this.entries = doc.entries;
    const n = this.entries.length;
    this.parent = new Int32Array(n).fill(-1);
    this.container = new Uint8Array(n);
    this.children = new Array<number[] | undefined>(n);
    this.ctx = new Array<Ctx>(n);
  }

  run(): SecretFinding[] {
    if (this.encrypted()) return [];
    this.structure();
    const n = this.entries.length;
    const aliasSites: number[] = [];
    for (let i = 0; i < n; i++) {
      const ctx = this.context(i);
      if (ctx.skip || this.container[i] === 1) continue;
      const e = this.entries[i] as KeyEntry;
      const first = this.text.charCodeAt(e.valueStart);
      if (first === 42 /* * */) {
        aliasSites.push(i);
        continue;
      }
      if (e.valueStart >= e.valueEnd) continue;
      this.scalarEntry(i, ctx);
    }
    for (const i of aliasSites) this.aliasSite(i);
    return this.finish();
  }

  /** SOPS-encrypted files (a top-level `sops:` map with `mac`) are skipped entirely; so are `secrets*.yaml` with ENC[ values. */
  private encrypted(): boolean {
    for (const d of this.doc.documents) {
      const sops = d['sops'];
      if (sops !== null && typeof sops === 'object' && !Array.isArray(sops) && Object.prototype.hasOwnProperty.call(sops, 'mac')) return true;
    }
    const base = this.doc.file.replace(/\\/g, '/').split('/').pop() ?? '';
    return /^secrets.*\.ya?ml$/.test(base) && this.text.includes('ENC[');
  }

  /** Parents, children and which entries are containers: one pass over the entries in document order. */
  private structure(): void {
    const stack: number[] = [];
    const n = this.entries.length;
    for (let i = 0; i < n; i++) {
      const e = this.entries[i] as KeyEntry;
      while (stack.length > 0) {
        const top = this.entries[stack[stack.length - 1] as number] as KeyEntry;
        if (top.document === e.document && top.path.length < e.path.length && e.keyStart >= top.valueStart && e.keyStart < Math.max(top.valueEnd, top.valueStart + 1)) break;
        stack.pop();
      }
      const p = stack.length > 0 ? (stack[stack.length - 1] as number) : -1;
      this.parent[i] = p;
      if (p >= 0) {
        this.container[p] = 1;
        const list = this.children[p];
        if (list) list.push(i);
        else this.children[p] = [i];
      }
      const c = this.text.charCodeAt(e.valueStart);
      if (c === 123 /* { */ || c === 91 /* [ */) this.container[i] = 1;
      stack.push(i);
    }
  }

  private propsOf(i: number): Props {
    const hit = this.props.get(i);
    if (hit) return hit;
    const e = this.entries[i] as KeyEntry;
    const from = typeof e.path[e.path.length - 1] === 'string' ? e.keyEnd : this.text.lastIndexOf('\n', e.valueStart - 1) + 1;
    let marked = false;
    for (let k = from; k < e.valueStart && !marked; k++) {
      const c = this.text.charCodeAt(k);
      marked = c === 38 /* & */ || c === 33; /* ! */
    }
    if (!marked) return NO_PROPS;
    const between = this.text.slice(from, e.valueStart);
    const clean = between.replace(/#.*$/gm, '');
    const props: Props = {};
    const anchor = /(?:^|[\s:-])&([^\s,[\]{}]+)/.exec(clean);
    const tag = /(?:^|[\s:-])(![^\s,[\]{}]*)/.exec(clean);
    if (anchor?.[1]) props.anchor = anchor[1];
    if (tag?.[1]) props.tag = tag[1];
    this.props.set(i, props);
    return props;
  }

  private keyOf(i: number): string | undefined {
    const seg = (this.entries[i] as KeyEntry).path.at(-1);
    return typeof seg === 'string' ? seg : undefined;
  }

  private scalar(i: number): ScalarText {
    const hit = this.scalars.get(i);
    if (hit) return hit;
    const e = this.entries[i] as KeyEntry;
    const s = readScalar(this.text, e.valueStart, e.valueEnd);
    this.scalars.set(i, s);
    return s;
  }

  /** The string value of a scalar child `key` of container `p`, if any. */
  private childString(p: number, key: string): string | undefined {
    const kids = this.children[p];
    if (!kids) return undefined;
    for (const k of kids) {
      if (this.keyOf(k) === key && this.container[k] === 0) return this.scalar(k).value;
    }
    return undefined;
  }

  /** `kind` of a map that also has `apiVersion`: an embedded Kubernetes manifest. */
  private manifestKind(i: number): string | undefined {
    const kids = this.children[i];
    if (!kids) return undefined;
    let kind: number | undefined;
    let apiVersion = false;
    for (const k of kids) {
      const key = this.keyOf(k);
      if (key === 'kind') kind = k;
      else if (key === 'apiVersion') apiVersion = true;
    }
    return kind !== undefined && apiVersion && this.container[kind] === 0 ? this.scalar(kind).value : undefined;
  }

  /** Contexts are computed in document order, so a parent's is always ready. */
  private context(i: number): Ctx {
    const p = this.parent[i] ?? -1;
    const base = p >= 0 ? (this.ctx[p] as Ctx) : ROOT_CTX;
    const e = this.entries[i] as KeyEntry;
    let ctx = base;
    if (e.path.length === 1 && e.path[0] === 'sops') ctx = { ...base, skip: true };
    else if (!base.skip && this.container[i] === 1) {
      const key = this.keyOf(i);
      if (key !== undefined && isReferenceContainer(key, (n) => this.names.classify(n))) ctx = { ...base, skip: true };
      else {
        const kind = this.manifestKind(i);
        if (kind !== undefined) {
          ctx = SKIPPED_KINDS.has(kind) ? { ...base, skip: true } : { ...base, manifestKind: kind, manifestDepth: e.path.length };
        }
        const anchor = this.propsOf(i).anchor;
        if (anchor) ctx = { ...ctx, anchors: [...ctx.anchors, { name: anchor, offset: e.valueStart }] };
      }
    }
    this.ctx[i] = ctx;
    return ctx;
  }

  /** The name that says what a value is (policy 1: effective name). */
  private effectiveName(i: number): string | undefined {
    const e = this.entries[i] as KeyEntry;
    const key = this.keyOf(i);
    const p = this.parent[i] ?? -1;
    if (key !== undefined && !GENERIC_LEAVES.has(key)) return key;
    if (key !== undefined && p >= 0) {
      // env-style items: `{name: DB_PASSWORD, value: ...}`.
      const sibling = this.childString(p, 'name') ?? this.childString(p, 'key');
      if (sibling !== undefined && sibling !== '') return sibling;
    }
    if (key === undefined && p >= 0) {
      // args-style lists: the previous item when it is a `--flag`.
      const idx = e.path[e.path.length - 1] as number;
      const kids = this.children[p] ?? [];
      const prev = kids.find((k) => (this.entries[k] as KeyEntry).path.at(-1) === idx - 1);
      if (prev !== undefined && this.container[prev] === 0) {
        const flag = /^--?([A-Za-z][\w.-]*)$/.exec(this.scalar(prev).value);
        if (flag?.[1]) return flag[1];
      }
    }
    // Otherwise the nearest meaningful key above.
    for (let a = p; a >= 0; a = this.parent[a] ?? -1) {
      const k = this.keyOf(a);
      if (k !== undefined && !GENERIC_LEAVES.has(k)) return k;
    }
    return undefined;
  }

  private scalarEntry(i: number, ctx: Ctx): void {
    const e = this.entries[i] as KeyEntry;
    const props = this.propsOf(i);
    if (props.tag === '!vault' || props.tag?.startsWith('!vault') === true) return;
    const s = this.scalar(i);
    const nameText = this.effectiveName(i);
    const name = nameText !== undefined ? this.names.classify(nameText) : undefined;
    const key = this.keyOf(i);

    // Embedded Secret manifests: `data` is base64 (decoded and rescanned), `stringData` plain.
    const rel = ctx.manifestKind === 'Secret' ? e.path.length - ctx.manifestDepth : -1;
    const secretData = rel === 2 && e.path[ctx.manifestDepth] === 'data';
    const base64Target =
      secretData ||
      props.tag === '!!binary' ||
      (key !== undefined && (/(?:B64|Base64|_b64|_base64)$/i.test(key) || key === 'caBundle' || key === '.dockerconfigjson'));
    if (base64Target && s.value.trim() !== '') {
      const decoded = decodeBase64Text(s.value);
      if (decoded !== undefined) {
        for (const h of this.evaluate(decoded, 'double', name)) this.add(h, e.valueStart, e.valueEnd, i, true);
        return;
      }
      if (secretData) return;
    }

    // `--flag=value` items of args lists.
    if (key === undefined && s.style !== 'literal' && s.style !== 'folded') {
      const flag = /^--?([A-Za-z][\w.-]*)=(.+)$/s.exec(s.value);
      if (flag?.[1] && flag[2] !== undefined) {
        const shift = s.value.length - flag[2].length;
        for (const h of this.evaluate(flag[2], 'double', this.names.classify(flag[1]))) this.addMapped(i, s, { ...h, start: h.start + shift, end: h.end + shift }, true);
        return;
      }
    }

    if (s.style === 'literal' || s.style === 'folded') {
      this.blockEntry(i, s, name);
      return;
    }
    for (const h of this.evaluate(s.value, s.style, name)) this.addMapped(i, s, h, h.start > 0 || h.end < s.value.length);
  }

  /** Block scalars: a single content line is judged like a plain value; otherwise the whole text, then each line. */
  private blockEntry(i: number, s: ScalarText, name: NameInfo | undefined): void {
    const lines = s.lines ?? [];
    const content = lines.filter((l) => l.text.trim() !== '');
    if (content.length === 1 && content[0]) {
      // One line: the value under the entry's own name first (`password: |` + one line), else as a `key = value` line.
      const line = content[0];
      const value = line.text.trimEnd();
      const hits = this.evaluate(value, 'double', name);
      const kv = lineKeyValue(value);
      for (const h of hits) this.add(h, line.offset + h.start, line.offset + h.end, i, h.start > 0 || h.end < value.length, kv && h.start >= kv.at ? kv.key : undefined);
      if (hits.length > 0) return;
    }
    const joined = lines.map((l) => l.text).join('\n');
    if (isPublicMaterial(joined)) return;
    const hits = formatHits(joined, name, this.rules);
    // Each line that no format rule covered: `key: value`, `key = value`, `--flag=value`, `export KEY=value`.
    let at = 0;
    for (const line of lines) {
      const lineStart = at;
      at += line.text.length + 1;
      if (hits.some((h) => h.start < lineStart + line.text.length && h.end > lineStart)) continue;
      const kv = lineKeyValue(line.text);
      if (!kv) continue;
      for (const h of this.evaluate(kv.value, 'double', this.names.classify(kv.key))) {
        hits.push({ ...h, start: lineStart + kv.at + h.start, end: lineStart + kv.at + h.end });
        this.subKeys.set(hits[hits.length - 1] as Hit, kv.key);
      }
    }
    for (const h of hits) {
      const a = blockOffset(lines, h.start);
      const b = blockOffset(lines, h.end);
      this.add(h, a, Math.max(a, b), i, true, this.subKeys.get(h) ?? lineKeyValue(lineAt(lines, h.start))?.key);
    }
  }

  /** The rules for one value (policy 2): suppressors, formats, names, placeholders, entropy. */
  private evaluate(value: string, style: ScalarText['style'], name: NameInfo | undefined): Hit[] {
    // Fast exit for the common case: a neutral name and nothing any format rule could match.
    if (!name?.password && !name?.secret && !name?.secretObject && !this.rules.entropyRule && !mayHaveFormat(value)) return [];
    if (style === 'plain') {
      const r = resolvePlainScalar(value);
      if (r.kind === 'null' || r.kind === 'bool') return [];
      if (r.kind === 'int' || r.kind === 'float') {
        const digits = value.replace(/\D/g, '').length;
        if (!name?.password || digits < 4) return [];
        const h = nameHit(value, name, this.rules);
        return h ? [h] : [];
      }
    }
    if (value.trim() === '') return [];
    if (style !== 'plain' && /^(?:true|false|yes|no|on|off)$/i.test(value)) return [];
    if (name?.secretObject) {
      // A Secret's name (`app-tls`, `regcred`) is a reference; anything that cannot be one is the secret itself.
      if (K8S_NAME.test(value) && (/[-.]/.test(value) || value.length < 16)) return [];
      name = { ...name, secretObject: false, secret: true };
    }
    const multiLine = value.includes('\n');
    if (!multiLine && suppressedValue(value, name)) return [];
    if (name && (name.reference || name.public)) return [];
    if (isPublicMaterial(value)) return [];
    if (!multiLine && isIdentifier(value, name)) return [];
    const hits = formatHits(value, name, this.rules);
    if (hits.length > 0 || multiLine) return hits;
    if (name) {
      const h = nameHit(value, name, this.rules);
      if (h) return [h];
    }
    if (this.rules.entropyRule && !name?.path && !name?.identifier) {
      const h = entropyHit(value);
      if (h) return [h];
    }
    return [];
  }

  /** Maps a hit in a scalar's value back to the text: exactly when the value is its source verbatim, else the whole scalar. */
  private addMapped(i: number, s: ScalarText, h: Hit, partial: boolean): void {
    const e = this.entries[i] as KeyEntry;
    if (s.exactAt !== undefined) this.add(h, s.exactAt + h.start, s.exactAt + h.end, i, partial);
    else this.add(h, e.valueStart, e.valueEnd, i, partial);
  }

  private add(hit: Hit, start: number, end: number, entry: number, partial: boolean, subKey?: string): void {
    const c: Candidate = { hit, start, end, entry, partial };
    if (subKey !== undefined) c.subKey = subKey;
    this.out.push(c);
  }

  /** `key: *anchor`: the anchored scalar judged under this site's name, reported at the anchor. */
  private aliasSite(i: number): void {
    const e = this.entries[i] as KeyEntry;
    const name = /^\*([^\s,[\]{}]+)/.exec(this.text.slice(e.valueStart, e.valueEnd))?.[1];
    if (!name) return;
    const anchorEntry = this.anchorBefore(name, e.valueStart);
    if (anchorEntry === undefined) return;
    const nameText = this.effectiveName(i);
    if (nameText === undefined) return;
    const s = this.scalar(anchorEntry);
    if (s.style === 'literal' || s.style === 'folded') return;
    for (const h of this.evaluate(s.value, s.style, this.names.classify(nameText))) this.addMapped(anchorEntry, s, h, h.start > 0 || h.end < s.value.length);
  }

  private anchorBefore(name: string, offset: number): number | undefined {
    if (this.scalarAnchors.size === 0) {
      for (let j = 0; j < this.entries.length; j++) {
        if (this.container[j] === 1) continue;
        const a = this.propsOf(j).anchor;
        if (!a) continue;
        const list = this.scalarAnchors.get(a);
        if (list) list.push(j);
        else this.scalarAnchors.set(a, [j]);
      }
    }
    const list = this.scalarAnchors.get(name) ?? [];
    let found: number | undefined;
    for (const j of list) if ((this.entries[j] as KeyEntry).valueStart < offset) found = j;
    return found;
  }

  /** Offsets of `*name` uses after the anchor (and before it is redefined). */
  private aliasUses(name: string, after: number): number[] {
    const out: number[] = [];
    const re = new RegExp(`(?:^|[\\s,[{:-])([*&])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s,\\]}]|$)`, 'g');
    re.lastIndex = after;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const at = m.index + m[0].length - name.length - 1;
      if (at <= after) continue;
      if (m[1] === '&') break;
      out.push(at);
    }
    return out;
  }

  private finish(): SecretFinding[] {
    // One finding per place and rule; alias-site evaluations merge into the anchor's.
    const byKey = new Map<string, Candidate>();
    for (const c of this.out) {
      const k = `${c.start}:${c.end}:${c.hit.code}`;
      if (!byKey.has(k)) byKey.set(k, c);
    }
    const findings: SecretFinding[] = [];
    for (const c of byKey.values()) {
      if (this.suppressedByComment(c)) continue;
      findings.push(this.finding(c));
    }
    return findings.sort((a, b) => a.offset - b.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  private finding(c: Candidate): SecretFinding {
    const e = this.entries[c.entry] as KeyEntry;
    const keyPath = formatKeyPath(e.path);
    const a = this.doc.position(c.start);
    const b = this.doc.position(c.end);
    const redacted = redact(c.hit.secret, c.hit.visiblePrefix);
    const rule = c.hit.code.slice('secret.'.length);
    const related: RelatedSpan[] = [];
    const anchors = [...(this.ctx[c.entry]?.anchors ?? [])];
    const own = this.propsOf(c.entry).anchor;
    if (own && this.container[c.entry] === 0) anchors.push({ name: own, offset: e.valueStart });
    for (const anchor of anchors) {
      for (const at of this.aliasUses(anchor.name, anchor.offset)) {
        const p = this.doc.position(at);
        const q = this.doc.position(at + anchor.name.length + 1);
        related.push({ offset: at, endOffset: at + anchor.name.length + 1, line: p.line, column: p.column, endLine: q.line, endColumn: q.column, message: `The secret is reused here through *${anchor.name}.` });
      }
    }
    const f: SecretFinding = {
      file: this.doc.file,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      severity: c.hit.severity,
      code: c.hit.code,
      message: message(c.hit, keyPath, redacted),
      offset: c.start,
      endOffset: c.end,
      rule,
      path: e.path,
      keyPath,
      fingerprintPath: c.subKey !== undefined ? `${keyPath}>${c.subKey}` : keyPath,
      redacted,
      valueHash: valueFingerprint(c.hit.secret),
      codeDescription: { href: `${SECRET_DOCS_URL}#${docSection(rule)}` },
      related,
      entry: { keyStart: e.keyStart, keyEnd: e.keyEnd, valueStart: e.valueStart, valueEnd: e.valueEnd },
      partial: c.partial,
    };
    secretOf.set(f, c.hit.secret);
    return f;
  }

  /** `# helm-values: ignore secret`, `# gitleaks:allow`, `# pragma: allowlist secret`: on the line, or alone on the line above (policy 4). */
  private suppressedByComment(c: Candidate): boolean {
    const e = this.entries[c.entry] as KeyEntry;
    const lines = new Set<number>([c.start, e.keyStart]);
    for (const at of lines) {
      const ls = this.text.lastIndexOf('\n', at - 1) + 1;
      let le = this.text.indexOf('\n', at);
      if (le < 0) le = this.text.length;
      if (DIRECTIVE.test(this.text.slice(ls, le))) return true;
      if (ls > 0) {
        const ps = this.text.lastIndexOf('\n', ls - 2) + 1;
        const prev = this.text.slice(ps, ls - 1);
        if (/^\s*#/.test(prev) && DIRECTIVE.test(prev)) return true;
      }
    }
    return false;
  }
}

const K8S_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const DIRECTIVE = /(?:^|\s)#.*?(?:helm-values:\s*ignore(?:-next-line)?\s+secrets?\b|gitleaks:allow|pragma:\s*allowlist\s+(?:nextline\s+)?secret)/;

/** `key: value`, `key = value`, `export KEY=value`, `--flag=value`, `"key": "value",` in one line of a block. */
export function lineKeyValue(line: string): { key: string; value: string; at: number } | undefined {
  const m =
    /^(\s*(?:-\s+)?(?:export\s+)?)("[^"]+"|'[^']+'|[A-Za-z_][\w.\-/]*)(\s*(?::\s+|=\s*|:$))(.*)$/.exec(line) ??
    /^(.*?\s--?)([A-Za-z][\w.-]*)(=)(\S+)/.exec(line) ??
    /^(\s*--?)([A-Za-z][\w.-]*)(=)(\S+)/.exec(line);
  if (!m) return undefined;
  const key = (m[2] ?? '').replace(/^["']|["']$/g, '');
  let raw = m[4] ?? '';
  let at = (m[1] ?? '').length + (m[2] ?? '').length + (m[3] ?? '').length;
  // Trailing comment or JSON comma; quotes.
  if (!/^["']/.test(raw)) raw = raw.replace(/\s+[#;].*$/, '').replace(/,\s*$/, '').trimEnd();
  else {
    const q = raw[0] ?? '"';
    const close = raw.indexOf(q, 1);
    raw = close > 0 ? raw.slice(1, close) : raw.slice(1);
    at += 1;
  }
  if (raw === '' || raw === '|' || raw === '>' || raw === '|-' || raw === '>-') return undefined;
  return { key, value: raw, at };
}

function blockOffset(lines: readonly { text: string; offset: number }[], at: number): number {
  let pos = 0;
  for (const l of lines) {
    if (at <= pos + l.text.length) return l.offset + (at - pos);
    pos += l.text.length + 1;
  }
  const last = lines[lines.length - 1];
  return last ? last.offset + last.text.length : 0;
}

function lineAt(lines: readonly { text: string }[], at: number): string {
  let pos = 0;
  for (const l of lines) {
    if (at <= pos + l.text.length) return l.text;
    pos += l.text.length + 1;
  }
  return '';
}

const ROTATE = 'A secret that reached Git must be rotated: fixing the file is not enough. Then supply it from a Kubernetes Secret (existingSecret, secretKeyRef) or an encrypted values file.';

function message(h: Hit, keyPath: string, redacted: string): string {
  const where = keyPath === '' ? '' : ` at ${keyPath}`;
  const title = h.title.charAt(0).toUpperCase() + h.title.slice(1);
  switch (h.code) {
    case 'secret.placeholder':
      return `Placeholder credential${where} (${redacted}): set via existingSecret / --set at deploy time.`;
    case 'secret.default-credential':
      return `Default credential${where} (${redacted}): a chart's published default, known to everyone. Set a unique value from a Kubernetes Secret (existingSecret) or at deploy time.`;
    case 'secret.password-hash':
      return `Password hash${where} (${redacted}): hashes can be cracked offline. Keep it out of Git (existingSecret); if this one was committed, change the password.`;
    case 'secret.entropy':
      return `High-entropy string${where} (${redacted}): is it a secret? If so, rotate it and move it to a Kubernetes Secret.`;
    default:
      return `${title} in plaintext${where}: ${redacted}. ${ROTATE}`;
  }
}

/** The section of docs/secrets-decisions.md that explains a rule. */
function docSection(rule: string): string {
  if (rule === 'password' || rule === 'token' || rule === 'default-credential') return 'name-rules';
  if (rule === 'placeholder') return 'placeholders';
  if (rule === 'entropy') return 'keyless-entropy';
  return 'format-rules';
}
