import { describe, expect, it } from 'vitest';
import { everyMemberEverything, percentile, verdict, type Received } from '../bench/lib/verdict.js';

// The benchmark's exactness check (bench/lib/verdict.ts): pure functions, no server.
const expectation = everyMemberEverything(
  new Map([
    [1, { members: ['alice', 'bob'], seqs: [1, 2, 3] }],
    [2, { members: ['alice', 'carol'], seqs: [1, 2] }],
  ]),
);
const received = (entries: Record<string, Record<number, number[]>>): Received =>
  new Map(Object.entries(entries).map(([who, byConversation]) => [who, new Map(Object.entries(byConversation).map(([c, s]) => [Number(c), s]))]));

describe('bench verdict', () => {
  it('passes a run where everyone got everything once, in order', () => {
    const v = verdict(expectation, received({ alice: { 1: [1, 2, 3], 2: [1, 2] }, bob: { 1: [1, 2, 3] }, carol: { 2: [1, 2] } }));
    expect(v).toMatchObject({ expected: 10, delivered: 10, lost: 0, duplicated: 0, outOfOrder: 0, unexpected: 0, exact: true });
  });

  it('catches a lost delivery', () => {
    const v = verdict(expectation, received({ alice: { 1: [1, 2, 3], 2: [1, 2] }, bob: { 1: [1, 3] }, carol: { 2: [1, 2] } }));
    expect(v).toMatchObject({ lost: 1, exact: false });
    expect(v.problems).toEqual(['bob never received conversation 1 seq 2']);
  });

  it('catches a receiver that got nothing at all', () => {
    const v = verdict(expectation, received({ alice: { 1: [1, 2, 3], 2: [1, 2] }, bob: { 1: [1, 2, 3] } }));
    expect(v).toMatchObject({ lost: 2, exact: false });
  });

  it('catches a duplicated delivery', () => {
    const v = verdict(expectation, received({ alice: { 1: [1, 2, 2, 3], 2: [1, 2] }, bob: { 1: [1, 2, 3] }, carol: { 2: [1, 2] } }));
    expect(v).toMatchObject({ duplicated: 1, lost: 0, exact: false });
  });

  it('catches an out-of-order delivery', () => {
    const v = verdict(expectation, received({ alice: { 1: [1, 3, 2], 2: [1, 2] }, bob: { 1: [1, 2, 3] }, carol: { 2: [1, 2] } }));
    expect(v).toMatchObject({ outOfOrder: 1, lost: 0, duplicated: 0, exact: false });
  });

  it('catches a delivery to someone outside the conversation', () => {
    const v = verdict(expectation, received({ alice: { 1: [1, 2, 3], 2: [1, 2] }, bob: { 1: [1, 2, 3], 2: [1] }, carol: { 2: [1, 2] } }));
    expect(v).toMatchObject({ unexpected: 1, exact: false });
  });

  it('takes percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([50, 99, 100]);
    expect(percentile([], 50)).toBeNaN();
  });
});
