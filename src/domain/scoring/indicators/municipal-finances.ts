import { ind } from '../../indicators';
import { latestValue } from './latest-value';

/**
 * Net operating result in % of gross operating revenue, kommunekonsern (SSB/KOSTRA 12134,
 * KOSAGD230000), with Norway's figure: SSB's published EAK row, else the population-weighted mean.
 */
export const netOperatingResult = latestValue('net_operating_result_pct', ind.netOperatingResultPct, '%', { nb: 'netto driftsresultat mangler (SSB/KOSTRA 12134)', en: 'net operating result is missing (SSB/KOSTRA 12134)' }, { weightedReference: true });

/** Long-term debt (excluding pension liabilities) in % of gross operating revenue (SSB/KOSTRA 12134, KOSKG320000). */
export const longTermDebt = latestValue('long_term_debt_pct', ind.longTermDebtPct, '%', { nb: 'langsiktig gjeld mangler (SSB/KOSTRA 12134)', en: 'long-term debt is missing (SSB/KOSTRA 12134)' }, { weightedReference: true });
