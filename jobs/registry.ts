import { digestJob, dispatchJob, type AlertJobDeps } from './alerts';
import { refreshJob, type RefreshJobDeps } from './refresh';
import { lotsJob } from './lots';
import type { JobDefinition } from './run-job';

/** What every job may use; the composition root builds one. */
export type JobDeps = RefreshJobDeps & AlertJobDeps;

/**
 * The one list of scheduled jobs (node-cron on Node, the Worker's cron triggers). Crons are UTC.
 * SSB publishes at 08:00 Norwegian time and tomte avoids 07:55–08:15, so SSB is checked daily at
 * 05:15 UTC (06:15/07:15 Oslo): an unchanged table costs one small request (its `updated` stamp).
 * Kartverket's names change rarely (monthly); the election tables every four years (quarterly).
 * SSB's centrality classification (KLASS 128) changes every few years (checked monthly, one
 * request); the ROBEK register changes about monthly (its page is read weekly, one request).
 * `refresh-lots` runs hourly and fetches each lot source its own cadence allows.
 * A refresh that changes scores writes its alerts with the new run; `dispatch` sends them within a
 * minute, `digests` looks for due weekly digests every 15 minutes.
 */
export const JOBS: readonly JobDefinition<JobDeps>[] = [
  refreshJob('refresh-ssb', '15 5 * * *', ['ssb'], 'SSB statistics (population, income, prices, unemployment, building, projections, dwellings by type, KOSTRA housing, Husbanken and finances)'),
  refreshJob('refresh-valg', '30 5 1 1,4,7,10 *', ['valg'], 'Council election votes and seats (SSB 01180, 04813)'),
  refreshJob('refresh-kartverket', '45 5 1 * *', ['kartverket'], 'Kartverket kommuneinfo (names in Norwegian, Sami and Kven)'),
  refreshJob('refresh-klass', '50 5 2 * *', ['klass'], 'SSB KLASS 128 centrality (index and class per kommune)'),
  refreshJob('refresh-robek', '20 6 * * 1', ['robek'], 'The ROBEK register (regjeringen.no)'),
  lotsJob('refresh-lots', '5 * * * *'),
  dispatchJob('dispatch', '* * * * *'),
  digestJob('digests', '*/15 * * * *'),
];
