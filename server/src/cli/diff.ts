// `helm-values diff <chart-dir|workspace> --base REV [--head REV] [--env NAME]... [-o text|json|markdown|sarif]`:
// every environment's effective values at two revisions, compared (service/custody/diff.ts). Each side is opened by
// the project model (host/projectModel.ts), the base (and --head) read from git (host/gitRevision.ts); without
// --head the head is the working tree. Everything a side reads comes from its own revision: the chart, the
// environments file, GitOps manifests and the secrets ignore file (so redaction follows that revision's entries). Exit codes: 0, 1 (a policy finding of error severity), 2 (usage).
import * as path from 'node:path';
import * as fs from 'node:fs';
import { discoverCharts, type FileReader } from '../host/chartReader';
import { openGitRevision, type GitRevision } from '../host/gitRevision';
import { configFileEnvironments, HostCaches, openProject, type Project, type ProjectRequest } from '../host/projectModel';
import { diffEffectiveValues, type EnvironmentDiff, type SourceRef, type ValueChange, type ValuesDiff } from '../service/custody/diff';
import { sortFindings } from '../service/check/check';
import type { Finding, Value } from '../service/types';
import { sortedValue } from './output';
import { toSarif } from './sarif';

export interface DiffOptions {
  base?: string;
  head?: string;
  envs: readonly string[];
  config?: string;
  output?: string;
}

export interface DiffContext {
  /** The project model's request for a chart under the command line (main.ts projectRequest). */
  request: (dir: string, display: string, caches: HostCaches) => ProjectRequest;
  usage: (message: string) => never;
  version: string;
}

interface ChartDiff {
  dir: string;
  diff: ValuesDiff;
  problems: Finding[];
}

const hasChart = (files: FileReader | undefined, dir: string) => {
  const f = path.join(path.resolve(dir), 'Chart.yaml');
  return files ? files.kind(f) === 'file' : fs.existsSync(f);
};

/** Chart directories under `dir` at a revision (folders holding Chart.yaml, not inside another chart's charts/). */
function chartsAt(files: FileReader | undefined, dir: string): string[] {
  if (!files) return discoverCharts(dir).map((d) => path.resolve(d));
  const found: string[] = [];
  const walk = (abs: string, inChart: boolean) => {
    const list = files.list(abs);
    if ('message' in list) return;
    const isChart = list.some((n) => n.name === 'Chart.yaml' && n.kind === 'file');
    if (isChart) found.push(abs);
    for (const n of list) {
      if (n.kind !== 'dir' || n.name === 'node_modules' || n.name === '.git' || ((isChart || inChart) && n.name === 'charts')) continue;
      walk(path.join(abs, n.name), false);
    }
  };
  walk(path.resolve(dir), false);
  return found;
}

function revisionLabel(r: GitRevision | undefined): { rev: string; commit?: string; label: string } {
  return r ? { rev: r.rev, commit: r.commit, label: `${r.rev} (${r.commit.slice(0, 12)})` } : { rev: 'working tree', label: 'working tree' };
}

export function cmdDiff(positionals: string[], opts: DiffOptions, out: (s: string) => void, ctx: DiffContext): number {
  if (positionals.length !== 1) ctx.usage('diff takes one chart directory or workspace directory');
  const target = positionals[0] ?? '.';
  const format = opts.output ?? 'text';
  if (!['text', 'json', 'markdown', 'sarif'].includes(format)) ctx.usage(`-o ${format}: diff prints text, json, markdown or sarif`);
  if (opts.base === undefined) ctx.usage('diff needs --base REV (the revision to compare with: a branch, tag or commit)');
  if (!fs.existsSync(target)) ctx.usage(`${target}: no such directory`);
  const base = openGitRevision(target, opts.base);
  if ('error' in base) ctx.usage(`--base ${base.error}`);
  let head: GitRevision | undefined;
  if (opts.head !== undefined) {
    const h = openGitRevision(target, opts.head);
    if ('error' in h) ctx.usage(`--head ${h.error}`);
    head = h;
  }
  const single = hasChart(head, target) || hasChart(base, target);
  const dirs = single ? [path.resolve(target)] : [...new Set([...chartsAt(head, target), ...chartsAt(base, target)])].sort();
  if (dirs.length === 0) ctx.usage(`${target}: no chart (no Chart.yaml) at ${opts.base} or ${opts.head ?? 'the working tree'}`);
  const results: ChartDiff[] = [];
  const baseCaches = new HostCaches();
  const headCaches = new HostCaches();
  const open = (dir: string, files: GitRevision | undefined, caches: HostCaches): Project | undefined => {
    if (!hasChart(files, dir)) return undefined;
    const display = single ? path.normalize(target) : path.relative(process.cwd(), dir) || '.';
    const req = ctx.request(dir, display, caches);
    // The environments file as it was at that revision (none when it did not exist yet).
    const config = opts.config;
    const environments = config === undefined ? [] : files && files.kind(path.resolve(config)) === undefined ? [] : [configFileEnvironments(config, files)];
    // Manifests (Argo CD, Flux, helmfile) are discovered as they were at that revision too.
    const gitops = req.gitops && files ? { ...req.gitops, files } : req.gitops;
    return openProject({ ...req, environments, ...(files ? { files } : {}), ...(gitops ? { gitops } : {}) });
  };
  for (const dir of dirs) {
    const b = open(dir, base, baseCaches);
    const h = open(dir, head, headCaches);
    const wanted = opts.envs.length > 0 ? opts.envs : undefined;
    const diff = diffEffectiveValues(b?.input, h?.input, { ...(wanted ? { environments: wanted } : {}), ...(h ?? b ? { owners: (h ?? b)?.custody.owners ?? [], policies: (h ?? b)?.custody.policies } : {}) });
    const problems = (h ?? b)?.problems.filter((p) => p.code.startsWith('config.')) ?? [];
    results.push({ dir: (h ?? b)?.chart.displayDir ?? dir, diff, problems });
  }
  for (const name of opts.envs) {
    if (!results.some((r) => r.diff.environments.some((e) => e.name === name))) ctx.usage(`--env ${name}: no such environment at either revision (known: ${[...new Set(results.flatMap((r) => r.diff.environments.map((e) => e.name)))].join(', ') || 'none'})`);
  }
  const findings = sortFindings(results.flatMap((r) => [...r.problems, ...r.diff.findings]));
  const sides = { base: revisionLabel(base), head: revisionLabel(head) };
  if (format === 'json') out(JSON.stringify(diffJson(results, findings, sides), null, 2));
  else if (format === 'sarif') out(JSON.stringify(toSarif(findings, ctx.version), null, 2));
  else if (format === 'markdown') out(diffMarkdown(results, findings, sides));
  else out(diffText(results, findings, sides));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

type Sides = { base: { rev: string; commit?: string; label: string }; head: { rev: string; commit?: string; label: string } };

const findingJson = ({ file, line, column, endLine, endColumn, severity, code, message }: Finding) => ({ file, line, column, endLine, endColumn, severity, code, message });

function changeJson(c: ValueChange): Record<string, unknown> {
  return {
    path: c.path,
    kind: c.kind,
    ...(c.kind !== 'added' ? { before: sortedValue(c.before ?? null) } : {}),
    ...(c.kind !== 'removed' ? { after: sortedValue(c.after ?? null) } : {}),
    ...(c.beforeSource ? { beforeSource: c.beforeSource } : {}),
    ...(c.afterSource ? { afterSource: c.afterSource } : {}),
    ...(c.owners ? { owners: c.owners } : {}),
  };
}

function diffJson(results: readonly ChartDiff[], findings: readonly Finding[], sides: Sides): object {
  return {
    base: { rev: sides.base.rev, ...(sides.base.commit ? { commit: sides.base.commit } : {}) },
    head: { rev: sides.head.rev, ...(sides.head.commit ? { commit: sides.head.commit } : {}) },
    charts: results.map((r) => ({ dir: r.dir, name: r.diff.chart.name, version: r.diff.chart.version, dependencies: r.diff.chart.dependencies.map(({ name, alias, before, after }) => ({ name, ...(alias ? { alias } : {}), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) })) })),
    environments: results.flatMap((r) =>
      r.diff.environments.map((e) => ({
        name: e.name,
        ...(results.length > 1 ? { chart: r.dir } : {}),
        status: e.status,
        changes: e.changes.map(changeJson),
        ...(e.changedFiles.length > 0 ? { changedFiles: e.changedFiles } : {}),
        ...(e.shadowed.length > 0 ? { shadowed: e.shadowed } : {}),
        ...(e.errors.length > 0 ? { errors: e.errors } : {}),
      })),
    ),
    findings: findings.map(findingJson),
  };
}

export function refText(s: SourceRef | undefined): string {
  if (!s) return '';
  if ('file' in s) return `${s.file}:${s.line}`;
  if ('flag' in s) return `${s.flag} ${s.arg}`;
  return `(${s.helm})`;
}

function brief(v: Value | undefined, max = 80): string {
  const s = JSON.stringify(sortedValue(v ?? null));
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
}

function sourceChange(c: ValueChange): string {
  const b = refText(c.beforeSource);
  const a = refText(c.afterSource);
  return c.kind === 'added' ? a : c.kind === 'removed' ? b : a === b ? a : `${b} -> ${a}`;
}

const findingLine = (x: Finding) => `${x.file}:${x.line}:${x.column}: ${x.severity} [${x.code}] ${x.message}`;

function versionLine(r: ChartDiff, arrow: string): string[] {
  const v = r.diff.chart.version;
  const lines = [`chart ${r.diff.chart.name || r.dir} (${r.dir}): ${v.before === v.after ? (v.after ?? '') : `${v.before ?? '(none)'} ${arrow} ${v.after ?? '(none)'}`}`];
  for (const d of r.diff.chart.dependencies) {
    const name = d.alias ? `${d.name} (alias ${d.alias})` : d.name;
    lines.push(`  dependency ${name}: ${d.before === d.after ? (d.after ?? '') : `${d.before ?? '(none)'} ${arrow} ${d.after ?? '(removed)'}`}`);
  }
  return lines;
}

function unchangedWhy(e: EnvironmentDiff): string {
  if (e.changedFiles.length === 0) return '';
  const shadow = e.shadowed.slice(0, 5).map((s) => `${s.path} (${s.file}) by ${refText(s.by)}`);
  return ` (${e.changedFiles.join(', ')} changed${shadow.length > 0 ? `; shadowed: ${shadow.join(', ')}${e.shadowed.length > 5 ? `, and ${e.shadowed.length - 5} more` : ''}` : ''})`;
}

function diffText(results: readonly ChartDiff[], findings: readonly Finding[], sides: Sides): string {
  const lines = [`helm-values diff: ${sides.base.label} -> ${sides.head.label}`];
  for (const r of results) {
    lines.push(...versionLine(r, '->'));
    for (const e of r.diff.environments) {
      lines.push(`== ${e.name}: ${e.status}${e.status === 'changed' ? ` (${e.changes.length})` : ''}${e.status === 'unchanged' ? unchangedWhy(e) : ''}`);
      for (const err of e.errors) lines.push(`  ! ${err.side}: ${err.message}`);
      for (const c of e.changes) {
        const mark = c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~';
        const value = c.kind === 'added' ? brief(c.after) : c.kind === 'removed' ? brief(c.before) : `${brief(c.before)} -> ${brief(c.after)}`;
        lines.push(`  ${mark} ${c.path}: ${value}   [${sourceChange(c)}]${c.owners && c.owners.length > 0 ? ` owners: ${c.owners.join(' ')}` : ''}`);
      }
    }
  }
  for (const f of findings) lines.push(findingLine(f));
  return lines.join('\n');
}

/** A markdown table cell: inline code, pipes escaped, one line. */
function cell(text: string): string {
  if (text === '') return '';
  const t = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

/** Tables longer than this are collapsed. */
const COLLAPSE_ROWS = 10;

function diffMarkdown(results: readonly ChartDiff[], findings: readonly Finding[], sides: Sides): string {
  const md: string[] = [`### helm-values diff: ${sides.base.label.replace(/^(\S+)/, '`$1`')} → ${sides.head.commit ? sides.head.label.replace(/^(\S+)/, '`$1`') : sides.head.label}`, ''];
  const owners = [...new Set(results.flatMap((r) => r.diff.environments.flatMap((e) => e.changes.flatMap((c) => c.owners ?? []))))];
  if (owners.length > 0) md.push(`**Owners to approve:** ${owners.join(', ')}`, '');
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (findings.length > 0) {
    md.push(`**Policy findings:** ${errors} error(s), ${findings.length - errors} other`, '');
    for (const f of findings) md.push(`- ${f.severity === 'error' ? '❌' : f.severity === 'warning' ? '⚠️' : 'ℹ️'} \`${f.code}\` ${f.file}:${f.line}: ${f.message.replace(/\r?\n/g, ' ')}`);
    md.push('');
  }
  for (const r of results) {
    const v = r.diff.chart.version;
    const deps = r.diff.chart.dependencies.filter((d) => d.before !== d.after);
    md.push(`#### Chart \`${r.diff.chart.name || r.dir}\` (${r.dir}): ${v.before === v.after ? `version ${v.after ?? ''}` : `version ${v.before ?? '(none)'} → ${v.after ?? '(none)'}`}${deps.length > 0 ? `; dependencies ${deps.map((d) => `\`${d.alias ?? d.name}\` ${d.before ?? '(none)'} → ${d.after ?? '(removed)'}`).join(', ')}` : ''}`, '');
    for (const e of r.diff.environments) {
      const title = `**${e.name}**: ${e.status}${e.status === 'changed' ? `, ${e.changes.length} path${e.changes.length === 1 ? '' : 's'}` : ''}`;
      md.push(title);
      for (const err of e.errors) md.push(`> ${err.side}: ${err.message}`);
      if (e.status === 'unchanged') {
        if (e.changedFiles.length > 0) {
          md.push('', `${e.changedFiles.map((f) => `\`${f}\``).join(', ')} changed, but every edit is shadowed:`);
          for (const s of e.shadowed.slice(0, 20)) md.push(`- \`${s.path}\` (${s.file}) by ${cell(refText(s.by))}`);
          if (e.shadowed.length > 20) md.push(`- and ${e.shadowed.length - 20} more`);
        }
        md.push('');
        continue;
      }
      if (e.changes.length === 0) {
        md.push('');
        continue;
      }
      const withOwners = e.changes.some((c) => (c.owners?.length ?? 0) > 0);
      const rows = [`| Path | Before | After | Source |${withOwners ? ' Owners |' : ''}`, `|---|---|---|---|${withOwners ? '---|' : ''}`];
      for (const c of e.changes) {
        rows.push(`| ${cell(c.path)} | ${c.kind === 'added' ? '' : cell(brief(c.before))} | ${c.kind === 'removed' ? '' : cell(brief(c.after))} | ${cell(sourceChange(c))} |${withOwners ? ` ${(c.owners ?? []).join(', ')} |` : ''}`);
      }
      if (e.changes.length > COLLAPSE_ROWS) md.push('', `<details><summary>${e.changes.length} changes</summary>`, '', ...rows, '', '</details>', '');
      else md.push('', ...rows, '');
    }
  }
  return md.join('\n').trimEnd();
}
