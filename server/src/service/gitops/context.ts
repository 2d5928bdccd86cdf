// One discovery run's shared state: the file index, each manifest parsed once, and chart location helpers.
import { parseManifest, type ManifestDoc, type ParsedManifest } from './manifest';
import { FileIndex, joinPath } from './paths';
import type { ChartLocation, GitopsFinding, GitopsWorkspace } from './types';

export class DiscoveryContext {
  readonly index: FileIndex;
  private readonly parsed = new Map<string, ParsedManifest>();
  constructor(readonly ws: GitopsWorkspace) {
    this.index = new FileIndex(ws.files);
  }
  read(path: string): string | undefined {
    return this.index.isFile(path) ? this.ws.read(path) : undefined;
  }
  manifest(path: string): ParsedManifest {
    let p = this.parsed.get(path);
    if (!p) {
      const text = this.read(path);
      p = text === undefined ? { docs: [], findings: [] } : parseManifest(path, text);
      this.parsed.set(path, p);
    }
    return p;
  }
  /** Every document of every parsed manifest, plus the parse findings. */
  allParsed(): Array<[string, ParsedManifest]> {
    return [...this.parsed];
  }
  docs(path: string): ManifestDoc[] {
    return this.manifest(path).docs;
  }
  isChartDir(dir: string): boolean {
    return this.index.isFile(joinPath(dir, 'Chart.yaml') ?? 'Chart.yaml');
  }
  remoteChart(repoURL: string, chart: string, version: string | undefined): ChartLocation & { type: 'remote' } {
    const exact = version !== undefined && /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/.test(version);
    const name = chart.slice(chart.lastIndexOf('/') + 1);
    const cacheArchive = exact ? `${name}-${version}.tgz` : undefined;
    return {
      type: 'remote',
      repoURL,
      chart,
      ...(version !== undefined ? { version } : {}),
      ...(cacheArchive !== undefined ? { cacheArchive } : {}),
      cached: cacheArchive !== undefined && this.ws.hasCachedChart?.(cacheArchive) === true,
    };
  }
}

/** The info finding for a chart that is neither in the workspace nor in Helm's cache. */
export function remoteChartNote(chart: ChartLocation & { type: 'remote' }): string {
  const ver = chart.version !== undefined ? ` --version ${chart.version}` : '';
  const repo = chart.repoURL.startsWith('oci://') ? chart.repoURL : `${chart.chart} --repo ${chart.repoURL}`;
  const where = chart.cacheArchive !== undefined ? ` (looked for $HELM_CACHE_HOME/repository/${chart.cacheArchive})` : chart.version === undefined ? ' (no exact version given)' : ` (version ${chart.version} is a range, not one archive)`;
  return `chart ${chart.chart} is not in the workspace nor in Helm's repository cache${where}: run \`helm pull ${repo}${ver}\` to check these values against the chart; layers are still checked among themselves`;
}

export type Sink = GitopsFinding[];
