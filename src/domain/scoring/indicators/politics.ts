import { PARTY_CODES, ind } from '../../indicators';
import { L, toRef, type SourceRef } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';

/**
 * The council elected in `politics.electionYear` (SSB 01180 votes, SSB 04813 seats): Labour's vote
 * share, the effective number of parties and the left bloc's share of the seats.
 */
interface Seats {
  byParty: Map<string, number>;
  total: number;
  inputs: SourceRef[];
}

const SEAT_INDICATORS: readonly string[] = PARTY_CODES.map((p) => ind.councilSeats(p));
const VOTES_A = ind.councilVotes('A');

/** Seats by party for one council; read by several indicators, so computed once per kommune. */
function seats(ctx: DeriveContext, code: string, year: string): Seats | null {
  const pos = ctx.idx.positionOf(code);
  if (pos === undefined) return null;
  return ctx.kommuneMemo(code, `seats|${year}`, () => readSeats(ctx, code, pos, year));
}

function readSeats(ctx: DeriveContext, code: string, pos: number, year: string): Seats | null {
  const cols = ctx.memo(`seat-columns|${year}`, () => ({
    total: ctx.idx.values(ind.councilSeatsTotal, year),
    parties: SEAT_INDICATORS.map((id) => ctx.idx.values(id, year)),
  }));
  const total = cols.total?.[pos];
  if (total === undefined || Number.isNaN(total) || total <= 0) return null;
  const byParty = new Map<string, number>();
  const inputs: SourceRef[] = [toRef(ctx.idx.get(code, ind.councilSeatsTotal, year)!)];
  for (let i = 0; i < PARTY_CODES.length; i++) {
    const v = cols.parties[i]?.[pos];
    if (v === undefined || Number.isNaN(v)) return null;
    if (v > 0) {
      byParty.set(PARTY_CODES[i]!, v);
      inputs.push(toRef(ctx.idx.get(code, SEAT_INDICATORS[i]!, year)!));
    }
  }
  return { byParty, total, inputs };
}

function seatsMissing(year: string) {
  return L(`mandatfordeling ${year} mangler (SSB 04813)`, `seat distribution ${year} is missing (SSB 04813)`);
}

/** Labour's (Ap) share of all approved votes; the left bloc's seats ride along for the seed rule's fallback. */
export const labourVoteShare: IndicatorModule = {
  id: 'labour_vote_share',
  reads: ['politics'],
  derive(ctx, code) {
    const year = ctx.params.politics.electionYear;
    const a = ctx.idx.get(code, VOTES_A, year);
    const total = ctx.idx.get(code, ind.councilVotesTotal, year);
    const inputs: SourceRef[] = [];
    if (a) inputs.push(toRef(a));
    if (total) inputs.push(toRef(total));
    if (a?.value == null || total?.value == null || total.value === 0) {
      return { ok: false, reason: L(`stemmetall fra kommunestyrevalget ${year} mangler (SSB 01180)`, `votes from the ${year} council election are missing (SSB 01180)`), inputs };
    }
    const value = (100 * a.value) / total.value;
    const s = seats(ctx, code, year);
    const left = ctx.params.politics.leftParties;
    const facts = s ? { leftSeats: left.reduce((n, p) => n + (s.byParty.get(p) ?? 0), 0), totalSeats: s.total, leftParties: left } : { leftParties: left };
    if (s) inputs.push(...s.inputs);
    const national = ctx.refs.nationalRatio(VOTES_A, ind.councilVotesTotal, year, 100, '%');
    return {
      ok: true,
      value,
      unit: '%',
      period: year,
      detail: { k: 'labour', votes: a.value, total: total.value, year },
      inputs,
      facts,
      ...(national ? { reference: national } : {}),
    };
  },
};

/** Effective number of parties (Laakso–Taagepera, 1 / Σ seat share²) of the council. */
export const effectiveParties: IndicatorModule = {
  id: 'council_effective_parties',
  reads: ['politics'],
  derive(ctx, code) {
    const year = ctx.params.politics.electionYear;
    const s = seats(ctx, code, year);
    if (!s || s.byParty.size === 0) return { ok: false, reason: seatsMissing(year), inputs: s?.inputs ?? [] };
    // S² / Σ s² equals 1 / Σ (s/S)² but stays in integers until the one division, so a council
    // of 15 split 7/4/3/1 gives exactly 3 (the float form gives 2.9999…, crossing a threshold).
    let sumSq = 0;
    for (const n of s.byParty.values()) sumSq += n * n;
    const value = (s.total * s.total) / sumSq;
    let largest = 0;
    for (const n of s.byParty.values()) if (n > largest) largest = n;
    return {
      ok: true,
      value,
      unit: 'effektive partier',
      period: year,
      detail: { k: 'enp', lists: s.byParty.size, seats: s.total, largest, year },
      inputs: s.inputs,
    };
  },
};

/** The share of council seats held by the model's left bloc (`politics.leftParties`). */
export const leftSeatShare: IndicatorModule = {
  id: 'left_seat_share',
  reads: ['politics'],
  derive(ctx, code) {
    const year = ctx.params.politics.electionYear;
    const s = seats(ctx, code, year);
    if (!s) return { ok: false, reason: seatsMissing(year), inputs: [] };
    const left = ctx.params.politics.leftParties;
    const n = left.reduce((sum, p) => sum + (s.byParty.get(p) ?? 0), 0);
    return {
      ok: true,
      value: (100 * n) / s.total,
      unit: '%',
      period: year,
      detail: { k: 'seatshare', seats: n, total: s.total, parties: left, year },
      inputs: s.inputs,
    };
  },
};
