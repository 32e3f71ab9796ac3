/**
 * Exactness of a run, from what the database holds and what each client received. Pure: no
 * clock, no I/O, so a unit test can check that it catches a lost, duplicated or out-of-order
 * delivery.
 */

/** What the database says a receiver should have seen: per conversation, seqs first..last. */
export interface Expectation {
  /** receiver → conversation id → the seqs it must receive, ascending. */
  byReceiver: Map<string, Map<number, readonly number[]>>;
}

/** receiver → conversation id → the seqs it received, in arrival order. */
export type Received = Map<string, Map<number, number[]>>;

export interface Verdict {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Deliveries of messages nobody expected (another conversation, a seq never committed). */
  unexpected: number;
  exact: boolean;
  /** A few examples of what went wrong, for the report. */
  problems: string[];
}

const MAX_PROBLEMS = 5;

export function verdict(expectation: Expectation, received: Received): Verdict {
  let expected = 0;
  let delivered = 0;
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  let unexpected = 0;
  const problems: string[] = [];
  const note = (text: string) => void (problems.length < MAX_PROBLEMS && problems.push(text));

  const receivers = new Set([...expectation.byReceiver.keys(), ...received.keys()]);
  for (const receiver of receivers) {
    const want = expectation.byReceiver.get(receiver) ?? new Map<number, readonly number[]>();
    const got = received.get(receiver) ?? new Map<number, number[]>();
    for (const conversation of new Set([...want.keys(), ...got.keys()])) {
      const seqs = want.get(conversation) ?? [];
      const arrived = got.get(conversation) ?? [];
      expected += seqs.length;
      delivered += arrived.length;
      const wanted = new Set(seqs);
      const seen = new Set<number>();
      let last = -Infinity;
      for (const seq of arrived) {
        if (seen.has(seq)) {
          duplicated++;
          note(`${receiver} received conversation ${conversation} seq ${seq} twice`);
          continue;
        }
        seen.add(seq);
        if (!wanted.has(seq)) {
          unexpected++;
          note(`${receiver} received conversation ${conversation} seq ${seq}, which it should not have`);
        }
        if (seq < last) {
          outOfOrder++;
          note(`${receiver} received conversation ${conversation} seq ${seq} after seq ${last}`);
        }
        last = Math.max(last, seq);
      }
      for (const seq of seqs) {
        if (!seen.has(seq)) {
          lost++;
          note(`${receiver} never received conversation ${conversation} seq ${seq}`);
        }
      }
    }
  }
  return {
    expected,
    delivered,
    lost,
    duplicated,
    outOfOrder,
    unexpected,
    exact: lost === 0 && duplicated === 0 && outOfOrder === 0 && unexpected === 0,
    problems,
  };
}

/** The expectation when every member of each conversation receives every message of it. */
export function everyMemberEverything(
  conversations: ReadonlyMap<number, { members: readonly string[]; seqs: readonly number[] }>,
): Expectation {
  const byReceiver = new Map<string, Map<number, readonly number[]>>();
  for (const [conversation, { members, seqs }] of conversations) {
    for (const member of members) {
      let mine = byReceiver.get(member);
      if (!mine) byReceiver.set(member, (mine = new Map()));
      mine.set(conversation, seqs);
    }
  }
  return { byReceiver };
}

/** The p-th percentile (0–100) of ascending numbers; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
