// Every kind of reply tomte sends, built from the scored snapshot: the commands' answers, each
// alert kind, the digest and the paused notice. Shared by the platform checks and the screenshots.
import { handleCommand } from '../../src/chat/commands';
import { digestReply, lotAlertReply, pausedNoticeReply, planAlertReply, scoreAlertReply } from '../../src/chat/alerts';
import type { Reply } from '../../src/chat/reply';
import type { Lang } from '../../src/domain/localized';
import type { ReadModel } from '../../src/services/read-model';

export interface ReplyCase {
  name: string;
  reply: Reply;
  /** The command that produced it (for paging), absent for alerts. */
  command?: string;
  page?: number;
}

export const COMMAND_CASES = [
  'kommune Bodø',
  'hvorfor Bodø',
  'hvorfor Oslo modell seed-2026',
  'topp 357',
  'tier 1',
  'sammenlign Bodø, Tromsø, Oslo, Bergen, Alta',
  'modeller',
  'kilder',
  'status',
  'hjelp',
  'kommune Bodo x',
  'kommune trondhiem',
  'abonerr tier1',
] as const;

export async function replyCases(rm: ReadModel, lang: Lang = 'nb'): Promise<ReplyCase[]> {
  const out: ReplyCase[] = [];
  for (const command of COMMAND_CASES) {
    const reply = await handleCommand({ rm, lang }, command);
    out.push({ name: command, reply, command });
  }
  const topp = out.find((c) => c.name === 'topp 357')!;
  out.push({ name: 'topp 357 (last page)', reply: topp.reply, command: 'topp 357', page: 15 });
  const bodo = rm.scores.get('1804')!;
  const kommune = { code: '1804', name: 'Bodø', countyCode: '18', countyName: 'Nordland' };
  const rule = bodo.rules.find((r) => r.points !== null && r.value !== null)!;
  const change = {
    kommuneCode: '1804',
    totalBefore: bodo.total - 6,
    totalAfter: bodo.total,
    tierBefore: 2,
    tierAfter: 1,
    coverageBefore: bodo.coverage,
    coverageAfter: bodo.coverage,
    rules: [{ ruleId: rule.ruleId, label: rule.label, pointsBefore: 0, pointsAfter: rule.points, valueBefore: rule.value! * 0.9, valueAfter: rule.value, unit: rule.unit ?? null, periodBefore: '2023', periodAfter: rule.period, sources: [{ publisher: 'SSB', table: '07459', period: rule.period ?? '' }] }],
  };
  for (const kind of ['tier1-enter', 'tier1-exit', 'score-change']) {
    const c = kind === 'tier1-exit' ? { ...change, totalBefore: change.totalAfter, totalAfter: change.totalAfter - 15, tierBefore: 1, tierAfter: 2 } : change;
    out.push({ name: `alert ${kind}`, reply: scoreAlertReply(kind, { kommune, runId: 12, modelId: rm.model.id, change: c }, 3, lang) });
  }
  out.push({
    name: 'alert lot',
    reply: lotAlertReply({ sourceId: 'bodo-tomter', key: 'T-17', kommune: { code: '1804', name: 'Bodø', countyName: 'Nordland' }, areaM2: 2450, centroid: { lon: 14.405, lat: 67.28 }, crossesBorder: false, kommuneShare: 1, name: 'Tomt ved Rønvik', url: 'https://www.bodo.kommune.no/' }, 4, lang),
  });
  out.push({
    name: 'alert plan',
    reply: planAlertReply({ sourceId: 'dibk-plans', key: 'P-9', kommune: { code: '1804', name: 'Bodø', countyName: 'Nordland' }, planName: 'Detaljregulering Hunstad sør', planType: 'Detaljregulering', announcedAt: '2026-01-10', link: null }, 5, lang),
  });
  out.push({
    name: 'digest',
    reply: digestReply(
      {
        periodStart: '2026-01-05',
        periodEnd: '2026-01-12',
        entered: [{ code: '1804', name: 'Bodø', total: bodo.total }],
        exited: [{ code: '5501', name: 'Tromsø', total: 64.2 }],
        movers: [{ code: '3401', name: 'Kongsvinger', before: 41.5, after: 48 }],
        refreshed: [{ source: 'SSB', dataset: '07459', at: '2026-01-11T06:00:00Z' }],
        failing: [],
        modelId: rm.model.id,
        lots: [{ kommune: '1804', key: 'T-17', areaM2: 2450 }],
        plans: [],
      },
      6,
      lang,
    ),
  });
  out.push({ name: 'paused notice', reply: pausedNoticeReply('#tomte-varsler', 'tier1', 'channel_not_found', lang) });
  return out;
}
