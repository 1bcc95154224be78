/** The command table: every word once, help for every entry, routing and the metric label from it. */
import { describe, expect, it } from 'vitest';
import { COMMANDS, HELP_GROUPS, helpRows, isVolatileCommand, menuCommands, routeCommand } from '../../../src/chat/commands';

describe('the command table', () => {
  it('has each word once, lower case, and every entry has help in both languages', () => {
    const words = COMMANDS.flatMap((c) => [...c.words.nb, ...c.words.en]);
    expect(new Set(words).size).toBe(words.length);
    for (const w of words) expect(w).toBe(w.toLowerCase());
    for (const c of COMMANDS) {
      expect(c.help.length, c.id).toBeGreaterThan(0);
      for (const h of c.help) {
        expect(h.nb[0].length).toBeGreaterThan(0);
        expect(h.en[1].length).toBeGreaterThan(0);
      }
    }
  });

  it('routes each word to its entry, and a help row\'s first word is a word of that entry', () => {
    for (const c of COMMANDS) {
      for (const h of c.help) {
        const first = h.nb[0].split(' ')[0]!;
        expect([...c.words.nb, 'abonner'], `${c.id}: ${h.nb[0]}`).toContain(first);
      }
    }
    expect(routeCommand('kommune Bodø').entry.id).toBe('kommune');
    expect(routeCommand('subscribe tier1')).toMatchObject({ entry: { id: 'abonner' }, lang: 'en' });
    expect(routeCommand('lot sources')).toMatchObject({ entry: { id: 'tomtekilder' }, lang: 'en' });
    expect(routeCommand('kjør refresh-lots')).toMatchObject({ entry: { id: 'kjor' }, cmd: { name: 'kjor', job: 'refresh-lots' } });
    expect(routeCommand('audit log')).toMatchObject({ entry: { id: 'logg' }, lang: 'en' });
  });

  it('a bare name, and a command word with arguments it does not take, are kommune lookups of the whole text', () => {
    expect(routeCommand('Bodø')).toMatchObject({ entry: { id: 'kommune' }, cmd: { name: 'kommune', query: 'Bodø' } });
    expect(routeCommand('test Bodø')).toMatchObject({ entry: { id: 'kommune' }, cmd: { query: 'test Bodø' } });
    expect(routeCommand('')).toMatchObject({ entry: { id: 'hjelp' } });
  });

  it('suggests the nearest command word for a near miss, never for short words', () => {
    expect(routeCommand('abonerr tier1').didYouMean).toBe('abonner tier1');
    expect(routeCommand('sammenlikn Bodø, Alta').didYouMean).toBe('sammenlign Bodø, Alta');
    expect(routeCommand('topr 10').didYouMean).toBe('topp 10');
    expect(routeCommand('Bodø').didYouMean).toBeUndefined();
    expect(routeCommand('Time').didYouMean).toBeUndefined();
  });

  it('only lookups may be cached', () => {
    expect(isVolatileCommand('kommune Bodø')).toBe(false);
    expect(isVolatileCommand('Bodø')).toBe(false);
    for (const text of ['abonner tier1', 'abonnementer', 'tomter Bodø', 'adresse Storgata 1', 'jobber', 'avslutt 1']) expect(isVolatileCommand(text), text).toBe(true);
  });

  it('help rows come in groups, and the menu holds at most ten commands (room for two more)', () => {
    for (const g of HELP_GROUPS) expect(helpRows(g, 'nb').length, g).toBeGreaterThan(0);
    expect(menuCommands().length).toBeLessThanOrEqual(8);
  });
});
