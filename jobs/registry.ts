import { refreshJob, type RefreshJobDeps } from './refresh';
import type { JobDefinition } from './run-job';

/**
 * The one list of scheduled jobs. Crons are UTC. SSB publishes at 08:00 Norwegian time and
 * tomte avoids 07:55–08:15, so SSB is read at 05:15 UTC (06:15/07:15 Oslo) on weekdays, after the
 * previous day's releases; the election tables change every four years and Kartverket's names
 * rarely, so they are checked weekly.
 */
export const JOBS: readonly JobDefinition<RefreshJobDeps>[] = [
  refreshJob('refresh-ssb', '15 5 * * 1-5', ['ssb'], 'SSB statistics (population, income, prices, unemployment, building)'),
  refreshJob('refresh-valg', '30 5 * * 1', ['valg'], 'Council election votes and seats (SSB 01180, 04813)'),
  refreshJob('refresh-kartverket', '45 5 * * 1', ['kartverket'], 'Kartverket kommuneinfo (names in Norwegian, Sami and Kven)'),
];
