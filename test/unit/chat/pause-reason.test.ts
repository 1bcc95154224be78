import { describe, expect, it } from 'vitest';
import { pauseReasonText } from '../../../src/chat/subscriptions/pause-reason';
import { kommunefaktaUrl, statbankUrl } from '../../../src/domain/kommune/links';

describe('pause reasons in words, never the platform code', () => {
  it('maps Slack and Teams codes, and anything else to a general sentence', () => {
    expect(pauseReasonText('channel_not_found', 'nb')).toBe('kanalen finnes ikke lenger, eller tomte har ikke tilgang til den');
    expect(pauseReasonText('403 ConversationBlockedByUser', 'en')).toBe('tomte is blocked in this chat');
    for (const raw of ['weird_code', '', null, '500 {"error":"<html>"}']) {
      const t = pauseReasonText(raw, 'nb');
      expect(t).toBe('tomte kunne ikke levere varsler hit');
    }
  });
});

describe('links out', () => {
  it('SSB kommunefakta by the folded official name; statbank only for SSB tables', () => {
    expect(kommunefaktaUrl({ name: 'Bodø' })).toBe('https://www.ssb.no/kommunefakta/bodo');
    expect(kommunefaktaUrl({ name: 'Namsos - Nåavmesjenjaelmie' })).toBe('https://www.ssb.no/kommunefakta/namsos-naavmesjenjaelmie');
    expect(kommunefaktaUrl({ name: 'Herøy (Nordland)' })).toBe('https://www.ssb.no/kommunefakta/heroy-nordland');
    expect(statbankUrl('SSB', '07459')).toBe('https://www.ssb.no/statbank/table/07459');
    expect(statbankUrl('KDD', 'ROBEK')).toBeNull();
  });
});
