import { DomainError } from '../errors.js';

/**
 * What happened to one target of a batch action. Targets succeed or fail on their own; a caller
 * who may not do the action at all gets an error instead.
 */
export type Outcome = 'SUCCESS' | 'JOINED' | 'INVITED' | 'FAILED';

export interface TargetResult {
  /** The user (or file) the item is about. */
  id: number;
  outcome: Outcome;
  error: DomainError | null;
}

export const success = (id: number, outcome: Exclude<Outcome, 'FAILED'> = 'SUCCESS'): TargetResult => ({ id, outcome, error: null });
export const failure = (id: number, error: DomainError): TargetResult => ({ id, outcome: 'FAILED', error });
