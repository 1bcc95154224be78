import type { ServiceDeps } from './deps';
import { coverageByTable, type TableCoverage } from '../store/repos/observations';
import { listSourceStatus, type SourceStatus } from '../store/repos/source-status';

export type { TableCoverage };

/** What `status` shows per dataset: its coverage in the latest period, and the refresh state. */
export interface DatasetStatus {
  /** Publisher ("SSB", "KDD", "Kartverket") or refresh group when no observation carries it. */
  source: string;
  /** Source table or dataset: "07459", "KLASS 128", "ROBEK", "kommuneinfo/fylkerkommuner". */
  table: string;
  /** The latest period with kommune values, and how many kommuner have a value in it. */
  coverage: { period: string; kommuner: number } | null;
  refresh: SourceStatus | null;
}

/**
 * Per dataset the coverage (kommuner with a value in the latest period) and, where the refresh
 * has touched it, the refresh state; datasets are matched by table id (`source_status.dataset`).
 */
export async function datasetStatus(deps: Pick<ServiceDeps, 'db'>): Promise<DatasetStatus[]> {
  const [coverage, status] = await Promise.all([coverageByTable(deps.db), listSourceStatus(deps.db)]);
  const byDataset = new Map(status.map((s) => [s.dataset, s]));
  const out: DatasetStatus[] = coverage.map((c) => {
    const refresh = byDataset.get(c.sourceTable) ?? null;
    byDataset.delete(c.sourceTable);
    return { source: c.source, table: c.sourceTable, coverage: { period: c.period, kommuner: c.kommuner }, refresh };
  });
  for (const s of byDataset.values()) out.push({ source: s.source, table: s.dataset, coverage: null, refresh: s });
  return out;
}
