/** The vocabulary of groups: member roles, why members leave. */
export const GROUP_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const GROUP_REMOVAL_REASONS = ['LEFT', 'KICKED', 'BLOCKED'] as const;
export type GroupRemovalReason = (typeof GROUP_REMOVAL_REASONS)[number];

