/** Friend requests, group applications and invitations: how each was answered, as stored and as the legacy API numbers it. */
export const REQUEST_STATUS = { PENDING: 0, ACCEPTED: 1, DECLINED: 2 } as const;
export type RequestStatus = (typeof REQUEST_STATUS)[keyof typeof REQUEST_STATUS];
