// Host side: turns a chart on disk (a directory, its subchart directories and packaged `.tgz` subcharts) into a
// ChartSource of raw texts. The only file-system code for charts; the service parses what this returns.
// Never throws: every problem becomes a Finding naming the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseTar, type ParsedTarFileItem } from 'nanotar';
import type { ChartSource, Finding, Severity, TextFile } from '../service/types';

export interface ReadChartOptions {
  /** Display path of `dir`, from which every file's display path is built. Default: `dir` as given. */
  displayDir?: string;
  /** Largest uncompressed size of one packaged `.tgz` (also the largest compressed file read). Default 50 MiB. */
  maxArchiveBytes?: number;
  /** Most tar entries in one packaged `.tgz`. Default 10,000. */
  maxArchiveEntries?: number;
  /** Most bytes decompressed over all archives of one call (bounds nested and repeated archives). Default 4 × maxArchiveBytes. */
  maxTotalArchiveBytes?: number;
  /** Where files come from instead of the disk (a git revision: host/gitRevision.ts). Paths given to it are absolute. */
  files?: FileReader;
}

/**
 * A read-only view of files by absolute path, standing in for the disk (a git revision). Never throws.
 * `kind` is undefined for a path that does not exist.
 */
export interface FileReader {
  kind(abs: string): NodeKind | undefined;
  list(absDir: string): TreeNode[] | ReadFailure;
  read(abs: string, limit?: number): Uint8Array | ReadFailure;
}

const DEFAULT_MAX_ARCHIVE_BYTES = 50 * 1024 * 1024;
const DEFAULT_MAX_ARCHIVE_ENTRIES = 10_000;
/** Packaged charts inside packaged charts, at most this deep. */
const MAX_ARCHIVE_DEPTH = 8;
/** A file with a NUL byte in its first 8 KiB is binary. */
const BINARY_SNIFF_BYTES = 8192;

/** `values-prod.yaml`, `values.prod.yml` at the chart root (`values.yaml` itself and `values.schema.json` do not match). */
const ROOT_OVERLAY = /^values[-.].+\.ya?ml$/;
/** Files in `values/` and `ci/`. */
const FOLDER_OVERLAY = /^.+\.ya?ml$/;
const OVERLAY_FOLDERS = ['ci', 'values'];

/**
 * Reads the chart whose directory is `dir` (display paths are built from `options.displayDir`, default = dir as given).
 * `dir` may also be a packaged chart (`.tgz`). Never throws: problems become Finding entries naming the file
 * (`host.read-error`, `host.bad-archive`, `host.binary-file`, `host.symlink-loop`: errors; `host.values-yml`: warning).
 * An archive that cannot be read as a chart at all is reported in its parent's `problems` and left out of `subcharts`.
 */
export function readChartDir(dir: string, options: ReadChartOptions = {}): ChartSource {
  const displayDir = options.displayDir ?? dir;
  const maxArchiveBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const ctx: ReadContext = {
    maxArchiveBytes,
    maxArchiveEntries: options.maxArchiveEntries ?? DEFAULT_MAX_ARCHIVE_ENTRIES,
    remainingArchiveBytes: options.maxTotalArchiveBytes ?? 4 * maxArchiveBytes,
  };
  const empty = (problem: Finding): ChartSource => ({ dir: displayDir, overlays: [], subcharts: [], problems: [problem] });
  if (options.files) {
    const files = options.files;
    const abs = path.resolve(dir);
    const kind = files.kind(abs);
    if (kind === 'file' && dir.endsWith('.tgz')) {
      const bytes = files.read(abs, maxArchiveBytes);
      if (isFailure(bytes)) return empty(hostFinding(displayDir, bytes.tooLarge ? 'host.bad-archive' : 'host.read-error', 'error', bytes.message));
      const outer: Finding[] = [];
      const source = readArchive(bytes, displayDir, ctx, 1, outer) ?? { dir: displayDir, overlays: [], subcharts: [], problems: [] };
      source.problems.unshift(...outer);
      return source;
    }
    if (kind !== 'dir') return empty(hostFinding(displayDir, 'host.read-error', 'error', kind === undefined ? 'cannot read (ENOENT)' : 'not a chart directory'));
    return buildChart(new ReaderTree(files, abs, displayDir), ctx, 0);
  }

  let stat: fs.Stats;
  let real: string;
  try {
    stat = fs.statSync(dir);
    real = fs.realpathSync(dir);
  } catch (e) {
    return empty(hostFinding(displayDir, 'host.read-error', 'error', `cannot read (${describeError(e)})`));
  }
  if (stat.isFile() && dir.endsWith('.tgz')) {
    const bytes = readDiskFile(dir, maxArchiveBytes);
    if (isFailure(bytes)) return empty(hostFinding(displayDir, bytes.tooLarge ? 'host.bad-archive' : 'host.read-error', 'error', bytes.message));
    const outer: Finding[] = [];
    const source = readArchive(bytes, displayDir, ctx, 1, outer) ?? { dir: displayDir, overlays: [], subcharts: [], problems: [] };
    source.problems.unshift(...outer);
    return source;
  }
  if (!stat.isDirectory()) return empty(hostFinding(displayDir, 'host.read-error', 'error', 'not a chart directory'));
  return buildChart(new DiskTree(dir, displayDir, new Set([real])), ctx, 0);
}

/** Finds the chart directory containing a file: walks up from the file's directory to the nearest folder holding
 * Chart.yaml; undefined if none. The result is an absolute path. */
export function findChartRoot(filePath: string): string | undefined {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    if (hasChartYaml(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Lists chart directories (folders with Chart.yaml) under a workspace root, skipping node_modules, .git and the
 * charts/ folder of charts (subcharts are reached through their parent), sorted. Paths are joined onto `root` as given.
 * Folders reached twice (symlinks) are listed once. */
export function discoverCharts(root: string): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  const pending = [root];
  for (;;) {
    const dir = pending.pop();
    if (dir === undefined) break;
    let entries: fs.Dirent[];
    try {
      const real = fs.realpathSync(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const isChart = entries.some((e) => e.name === 'Chart.yaml' && kindOf(dir, e) === 'file');
    if (isChart) found.push(dir);
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git' || (isChart && e.name === 'charts')) continue;
      if (kindOf(dir, e) === 'dir') pending.push(path.join(dir, e.name));
    }
  }
  return found.sort(compareStrings);
}

// ---------------------------------------------------------------------------------------------------------------------
// One builder over two kinds of tree: a directory on disk and the entries of a packaged chart.

export type NodeKind = 'file' | 'dir' | 'other' | 'error';
export interface TreeNode {
  name: string;
  kind: NodeKind;
  /** For kind 'error': why it cannot be read (e.g. `ELOOP`). */
  error?: string;
}
export interface ReadFailure {
  message: string;
  /** The file is bigger than the limit asked for. */
  tooLarge?: boolean;
}

interface ChartTree {
  /** ChartSource.dir of this chart. */
  readonly dir: string;
  /** Display path of a `/`-separated path relative to the chart root. */
  display(rel: string): string;
  /** Children of a folder, sorted by name; a ReadFailure when the folder cannot be listed. */
  list(rel: string): TreeNode[] | ReadFailure;
  /** Bytes of a file; a ReadFailure when unreadable or larger than `limit`. */
  read(rel: string, limit?: number): Uint8Array | ReadFailure;
  /** The chart in folder `rel`, or a ReadFailure (symlink loop). */
  subtree(rel: string): ChartTree | ReadFailure;
}

interface ReadContext {
  maxArchiveBytes: number;
  maxArchiveEntries: number;
  /** Decompression budget left for this readChartDir call. */
  remainingArchiveBytes: number;
}

/** Builds the ChartSource of a tree. `depth` is how many packaged charts enclose it. */
function buildChart(tree: ChartTree, ctx: ReadContext, depth: number): ChartSource {
  const problems: Finding[] = [];
  const source: ChartSource = { dir: tree.dir, overlays: [], subcharts: [], problems };
  const root = tree.list('');
  if (isFailure(root)) {
    problems.push(hostFinding(tree.dir, 'host.read-error', 'error', root.message));
    return source;
  }
  const rootNodes = new Map(root.map((n) => [n.name, n]));

  /** Reads `rel` as text if it is a file; reports unreadable and binary files. */
  const readText = (rel: string, node: TreeNode | undefined): TextFile | undefined => {
    if (!node) return undefined;
    const file = tree.display(rel);
    if (node.kind === 'error') {
      problems.push(hostFinding(file, 'host.read-error', 'error', `cannot read (${node.error ?? 'unknown error'})`));
      return undefined;
    }
    if (node.kind !== 'file') return undefined;
    const bytes = tree.read(rel);
    if (isFailure(bytes)) {
      problems.push(hostFinding(file, 'host.read-error', 'error', bytes.message));
      return undefined;
    }
    const text = decodeText(bytes);
    if (text === undefined) {
      problems.push(hostFinding(file, 'host.binary-file', 'error', 'not a text file; Helm cannot read it as YAML'));
      return undefined;
    }
    return { path: file, text };
  };
  const readRoot = (name: string): TextFile | undefined => readText(name, rootNodes.get(name));

  const chartYaml = readRoot('Chart.yaml');
  if (chartYaml) source.chartYaml = chartYaml;
  const requirementsYaml = readRoot('requirements.yaml');
  if (requirementsYaml) source.requirementsYaml = requirementsYaml;
  const valuesYaml = readRoot('values.yaml');
  if (valuesYaml) source.valuesYaml = valuesYaml;
  const schemaJson = readRoot('values.schema.json');
  if (schemaJson) source.schemaJson = schemaJson;
  if (rootNodes.get('values.yml')?.kind === 'file' && rootNodes.get('values.yaml')?.kind !== 'file') {
    problems.push(hostFinding(tree.display('values.yml'), 'host.values-yml', 'warning',
      'Helm only loads values.yaml and ignores values.yml; rename it to values.yaml'));
  }

  // Overlays by convention.
  for (const node of root) {
    if (ROOT_OVERLAY.test(node.name)) pushDefined(source.overlays, readText(node.name, node));
  }
  for (const folder of OVERLAY_FOLDERS) {
    const node = rootNodes.get(folder);
    if (node?.kind === 'error') problems.push(hostFinding(tree.display(folder), 'host.read-error', 'error', `cannot read (${node.error ?? 'unknown error'})`));
    if (node?.kind !== 'dir') continue;
    const children = tree.list(folder);
    if (isFailure(children)) {
      problems.push(hostFinding(tree.display(folder), 'host.read-error', 'error', children.message));
      continue;
    }
    for (const child of children) {
      if (FOLDER_OVERLAY.test(child.name)) pushDefined(source.overlays, readText(`${folder}/${child.name}`, child));
    }
  }
  source.overlays.sort((a, b) => compareStrings(a.path, b.path));

  // Templates: every file under templates/ (Helm parses them all; files named `_*` only define templates).
  const templates: TextFile[] = [];
  const readFolder = (rel: string, node: TreeNode | undefined, depthLeft: number): void => {
    if (node?.kind === 'error') problems.push(hostFinding(tree.display(rel), 'host.read-error', 'error', `cannot read (${node.error ?? 'unknown error'})`));
    if (node?.kind !== 'dir' || depthLeft === 0) return;
    const children = tree.list(rel);
    if (isFailure(children)) {
      problems.push(hostFinding(tree.display(rel), 'host.read-error', 'error', children.message));
      return;
    }
    for (const child of children) {
      const childRel = `${rel}/${child.name}`;
      if (child.kind === 'dir') readFolder(childRel, child, depthLeft - 1);
      else if (child.kind === 'file') {
        const bytes = tree.read(childRel);
        const text = isFailure(bytes) ? undefined : decodeText(bytes);
        if (text !== undefined) templates.push({ path: tree.display(childRel), text });
        else if (isFailure(bytes)) problems.push(hostFinding(tree.display(childRel), 'host.read-error', 'error', bytes.message));
      }
    }
  };
  readFolder('templates', rootNodes.get('templates'), 16);
  if (templates.length > 0) source.templates = templates;

  // Subcharts: folders with a Chart.yaml and packaged .tgz files under charts/, by name.
  const chartsNode = rootNodes.get('charts');
  if (chartsNode?.kind === 'error') problems.push(hostFinding(tree.display('charts'), 'host.read-error', 'error', `cannot read (${chartsNode.error ?? 'unknown error'})`));
  const charts = chartsNode?.kind === 'dir' ? tree.list('charts') : [];
  if (isFailure(charts)) {
    problems.push(hostFinding(tree.display('charts'), 'host.read-error', 'error', charts.message));
    return source;
  }
  for (const node of charts) {
    const rel = `charts/${node.name}`;
    const file = tree.display(rel);
    if (node.kind === 'error') {
      problems.push(hostFinding(file, 'host.read-error', 'error', `cannot read (${node.error ?? 'unknown error'})`));
    } else if (node.kind === 'dir') {
      const children = tree.list(rel);
      if (isFailure(children)) {
        problems.push(hostFinding(file, 'host.read-error', 'error', children.message));
        continue;
      }
      if (!children.some((c) => c.name === 'Chart.yaml' && c.kind === 'file')) continue;
      const sub = tree.subtree(rel);
      if (isFailure(sub)) problems.push(hostFinding(file, 'host.symlink-loop', 'error', sub.message));
      else source.subcharts.push(buildChart(sub, ctx, depth));
    } else if (node.kind === 'file' && node.name.endsWith('.tgz')) {
      const bytes = tree.read(rel, ctx.maxArchiveBytes);
      if (isFailure(bytes)) {
        problems.push(hostFinding(file, bytes.tooLarge ? 'host.bad-archive' : 'host.read-error', 'error', bytes.message));
        continue;
      }
      pushDefined(source.subcharts, readArchive(bytes, file, ctx, depth + 1, problems));
    }
  }
  return source;
}

// ---------------------------------------------------------------------------------------------------------------------
// Disk

class DiskTree implements ChartTree {
  /**
   * @param root file-system path of the chart folder
   * @param dir its display path
   * @param ancestors real paths of this chart and the charts enclosing it (symlink-loop guard)
   */
  constructor(private readonly root: string, readonly dir: string, private readonly ancestors: ReadonlySet<string>) {}

  display(rel: string): string {
    return rel === '' ? this.dir : path.join(this.dir, rel);
  }

  list(rel: string): TreeNode[] | ReadFailure {
    const folder = path.join(this.root, rel);
    try {
      return fs.readdirSync(folder, { withFileTypes: true })
        .map((e) => diskNode(folder, e))
        .sort((a, b) => compareStrings(a.name, b.name));
    } catch (e) {
      return { message: `cannot read (${describeError(e)})` };
    }
  }

  read(rel: string, limit?: number): Uint8Array | ReadFailure {
    return readDiskFile(path.join(this.root, rel), limit);
  }

  subtree(rel: string): ChartTree | ReadFailure {
    const folder = path.join(this.root, rel);
    let real: string;
    try {
      real = fs.realpathSync(folder);
    } catch (e) {
      return { message: `cannot read (${describeError(e)})` };
    }
    if (this.ancestors.has(real)) return { message: `symlink loop: ${real} is this chart or one enclosing it; not read again` };
    return new DiskTree(folder, this.display(rel), new Set([...this.ancestors, real]));
  }
}

/** A chart folder seen through a FileReader (a git revision has no symlinks to loop through). */
class ReaderTree implements ChartTree {
  constructor(private readonly files: FileReader, private readonly root: string, readonly dir: string) {}

  display(rel: string): string {
    return rel === '' ? this.dir : path.join(this.dir, rel);
  }

  list(rel: string): TreeNode[] | ReadFailure {
    const r = this.files.list(path.join(this.root, rel));
    return isFailure(r) ? r : [...r].sort((a, b) => compareStrings(a.name, b.name));
  }

  read(rel: string, limit?: number): Uint8Array | ReadFailure {
    return this.files.read(path.join(this.root, rel), limit);
  }

  subtree(rel: string): ChartTree {
    return new ReaderTree(this.files, path.join(this.root, rel), this.display(rel));
  }
}

function readDiskFile(file: string, limit?: number): Uint8Array | ReadFailure {
  try {
    if (limit !== undefined) {
      const size = fs.statSync(file).size;
      if (size > limit) return { message: `larger than ${limit} bytes; not read`, tooLarge: true };
    }
    return fs.readFileSync(file);
  } catch (e) {
    return { message: `cannot read (${describeError(e)})` };
  }
}

function diskNode(folder: string, entry: fs.Dirent): TreeNode {
  try {
    return { name: entry.name, kind: kindOf(folder, entry, true) };
  } catch (e) {
    return { name: entry.name, kind: 'error', error: describeError(e) };
  }
}

/** Kind of a directory entry, following symlinks. Throws on a broken link only when `strict`; else it is 'other'. */
function kindOf(folder: string, entry: fs.Dirent, strict = false): NodeKind {
  if (entry.isSymbolicLink()) {
    try {
      const stat = fs.statSync(path.join(folder, entry.name));
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
    } catch (e) {
      if (strict) throw e;
      return 'other';
    }
  }
  return entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
}

function hasChartYaml(dir: string): boolean {
  try {
    if (!fs.statSync(path.join(dir, 'Chart.yaml')).isFile()) return false;
    // Exact case: on case-insensitive file systems `chart.yaml` also stats, but Helm wants `Chart.yaml`.
    return fs.readdirSync(dir).includes('Chart.yaml');
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Packaged charts (.tgz)

interface ArchiveFile {
  /** Entry name in the tar, e.g. `redis/values.yaml`. */
  entry: string;
  data: Uint8Array;
}

/** The files of one archive, keyed by path below the top folder (Helm drops the first path component). */
interface ArchiveIndex {
  /** Display path of the .tgz. */
  archive: string;
  /** Top folder name, for display paths of folders. */
  top: string;
  files: Map<string, ArchiveFile>;
  /** Folder (`''` = top folder) → child name → kind. */
  folders: Map<string, Map<string, NodeKind>>;
}

class ArchiveTree implements ChartTree {
  readonly dir: string;

  /** @param base folder of this chart inside the archive, relative to the top folder (`''` or `charts/x/`). */
  constructor(private readonly index: ArchiveIndex, private readonly base: string) {
    this.dir = base === '' ? index.archive : `${index.archive}#${index.top}/${base.slice(0, -1)}`;
  }

  display(rel: string): string {
    if (rel === '') return this.dir;
    const file = this.index.files.get(this.base + rel);
    return `${this.index.archive}#${file ? file.entry : `${this.index.top}/${this.base}${rel}`}`;
  }

  list(rel: string): TreeNode[] | ReadFailure {
    const key = rel === '' ? this.base.slice(0, -1) : this.base + rel;
    const children = this.index.folders.get(key);
    if (!children) return { message: 'not a folder in the archive' };
    return [...children].map(([name, kind]) => ({ name, kind })).sort((a, b) => compareStrings(a.name, b.name));
  }

  read(rel: string, limit?: number): Uint8Array | ReadFailure {
    const file = this.index.files.get(this.base + rel);
    if (!file) return { message: 'not a file in the archive' };
    if (limit !== undefined && file.data.byteLength > limit) return { message: `larger than ${limit} bytes; not read`, tooLarge: true };
    return file.data;
  }

  subtree(rel: string): ChartTree {
    return new ArchiveTree(this.index, `${this.base}${rel}/`);
  }
}

/**
 * Reads a packaged chart. Problems that stop it being read as a chart (not gzip, not tar, over a limit, no Chart.yaml)
 * go to `problems` (the parent's) and give undefined; problems with single files go to the chart's own problems.
 */
function readArchive(bytes: Uint8Array, display: string, ctx: ReadContext, depth: number, problems: Finding[]): ChartSource | undefined {
  const bad = (message: string): undefined => {
    problems.push(hostFinding(display, 'host.bad-archive', 'error', message));
    return undefined;
  };
  if (depth > MAX_ARCHIVE_DEPTH) return bad(`packaged charts nested more than ${MAX_ARCHIVE_DEPTH} deep; not read`);
  const limit = Math.min(ctx.maxArchiveBytes, ctx.remainingArchiveBytes);
  if (limit <= 0) return bad('archive size budget used up by other archives; not read');

  let tar: Uint8Array;
  try {
    const out = zlib.gunzipSync(bytes, { maxOutputLength: limit });
    // nanotar parses `data.buffer` whole (ignoring byteOffset and byteLength), and zlib's result is usually a view on
    // a larger buffer (a 16 KiB output chunk with stale bytes after the tar): give it a copy that owns its buffer.
    tar = new Uint8Array(out);
  } catch (e) {
    return bad(errorCode(e) === 'ERR_BUFFER_TOO_LARGE'
      ? `expands to more than ${limit} bytes; not read`
      : `not a gzip-compressed chart archive (${e instanceof Error ? e.message : String(e)})`);
  }
  ctx.remainingArchiveBytes -= tar.byteLength;

  const scan = scanTarHeaders(tar, ctx.maxArchiveEntries);
  if (typeof scan === 'string') return bad(`not a valid tar archive (${scan})`);
  let entries: ParsedTarFileItem[];
  try {
    entries = parseTar(tar);
  } catch (e) {
    return bad(`not a valid tar archive (${describeError(e)})`);
  }

  const index: ArchiveIndex = { archive: display, top: '', files: new Map(), folders: new Map([['', new Map()]]) };
  entries.forEach((entry, i) => {
    if (entry.type !== 'file' && entry.type !== 'contiguousFile') return;
    // nanotar ignores the ustar `prefix` field that Go's archive/tar (so `helm package`) uses for names over 100 bytes.
    const prefix = scan.length === entries.length ? scan[i] : '';
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    const parts = name.split('/');
    if (parts.length < 2 || parts.slice(1).join('') === '') {
      problems.push(hostFinding(`${display}#${name}`, 'host.bad-archive', 'error', 'file outside the chart folder; Helm refuses such archives'));
      return;
    }
    if (index.top === '') index.top = parts[0];
    const rel = parts.slice(1);
    index.files.set(rel.join('/'), { entry: name, data: entry.data ?? new Uint8Array(0) });
    for (let k = 0; k < rel.length; k++) {
      const folder = rel.slice(0, k).join('/');
      let children = index.folders.get(folder);
      if (!children) index.folders.set(folder, (children = new Map()));
      const isLast = k === rel.length - 1;
      if (!isLast || !children.has(rel[k])) children.set(rel[k], isLast ? 'file' : 'dir');
    }
  });
  if (index.folders.get('')?.get('Chart.yaml') !== 'file') {
    return bad(index.top === '' ? 'no files in the archive' : `no Chart.yaml in ${index.top}/; Helm cannot load it`);
  }
  return buildChart(new ArchiveTree(index, ''), ctx, depth);
}

const TAR_META_TYPES = new Set(['x', 'g', 'L', 'K', 'N']);

/**
 * Walks the tar headers the way nanotar's parseTar does (same loop bounds, same end marker) and checks what it does not:
 * header checksums, sizes within the data, entry count. Returns, per entry nanotar will return, its ustar name prefix
 * (`''` when none or when a pax/GNU long-name header supplied the name), or an error message.
 */
function scanTarHeaders(tar: Uint8Array, maxEntries: number): string[] | string {
  const prefixes: string[] = [];
  let headers = 0;
  let longName = false;
  for (let offset = 0; offset < tar.byteLength - 512;) {
    const header = tar.subarray(offset, offset + 512);
    if (header[0] === 0) break;
    if (++headers > maxEntries) return `more than ${maxEntries} entries`;
    if (!checksumMatches(header)) return `bad header checksum at byte ${offset}`;
    const size = readOctal(header, 124, 12);
    if (size === undefined) return `bad entry size at byte ${offset}`;
    if (offset + 512 + size > tar.byteLength) return 'truncated';
    const type = String.fromCharCode(header[156] || 0x30);
    if (TAR_META_TYPES.has(type)) {
      longName = type !== 'g';
    } else {
      const ustar = readString(header, 257, 6) === 'ustar' && header[262] === 0;
      prefixes.push(ustar && !longName ? readString(header, 345, 155) : '');
      longName = false;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return prefixes;
}

function checksumMatches(header: Uint8Array): boolean {
  const stored = readOctal(header, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : header[i];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function readOctal(header: Uint8Array, offset: number, length: number): number | undefined {
  const text = readString(header, offset, length).trim();
  if (!/^[0-7]+$/.test(text)) return undefined;
  const n = Number.parseInt(text, 8);
  return Number.isSafeInteger(n) ? n : undefined;
}

function readString(header: Uint8Array, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end === -1 ? field : field.subarray(0, end));
}

// ---------------------------------------------------------------------------------------------------------------------
// Helpers

/** UTF-8 text without BOM, or undefined when binary (NUL in the first 8 KiB) or not valid UTF-8. */
function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
  try {
    // ignoreBOM defaults to false: the decoder strips a leading BOM.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function hostFinding(file: string, code: string, severity: Severity, message: string): Finding {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity, code, message: `${file}: ${message}` };
}

function isFailure<T extends object>(value: T | ReadFailure): value is ReadFailure {
  return 'message' in value;
}

function pushDefined<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function describeError(e: unknown): string {
  return errorCode(e) ?? (e instanceof Error ? e.message : String(e));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads one text file (a `-f` values file, a `--set-file` argument, a config file). Never throws. */
export function readTextFile(file: string, limit = DEFAULT_MAX_ARCHIVE_BYTES, files?: FileReader): { text: string } | { error: string } {
  const bytes = files ? files.read(path.resolve(file), limit) : readDiskFile(file, limit);
  if (isFailure(bytes)) return { error: `${file}: ${bytes.message}` };
  const text = decodeText(bytes);
  if (text === undefined) return { error: `${file}: not a text file; Helm cannot read it as YAML` };
  return { text };
}
