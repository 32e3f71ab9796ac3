/**
 * Users, tokens and groups for a run. Users and their access tokens are written straight into the
 * database (one shared argon2 hash, tokens stored as SHA-256 like the server does): registering
 * and logging in 10,000 users through argon2 would take the whole run. Groups are made through
 * the API, as clients make them.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import postgres from 'postgres';
import { gql } from './client.js';
import { APP } from './server.js';

export interface BenchUser {
  /** Index in the run, and the receiver name in verdicts. */
  name: string;
  id: number;
  token: string;
}

export async function seedUsers(databaseUrl: string, count: number, prefix = 'u'): Promise<BenchUser[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const hash = await argon2.hash('bench-password', { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const users: BenchUser[] = [];
    for (let start = 0; start < count; start += 5000) {
      const names = Array.from({ length: Math.min(5000, count - start) }, (_, i) => `${prefix}${start + i}`);
      const rows = await sql<{ id: string; username: string }[]>`
        insert into users (app_id, username, password_hash)
        select ${APP}, name, ${hash} from unnest(${names}::text[]) as name
        returning id, username`;
      const ids = rows.map((r) => r.id);
      await sql`insert into user_settings (app_id, user_id) select ${APP}, id from unnest(${ids}::bigint[]) as id`;
      const tokens = rows.map(() => randomBytes(32).toString('base64url'));
      const hashes = tokens.map((t) => createHash('sha256').update(t).digest('hex'));
      await sql`
        insert into access_tokens (app_id, user_id, token_hash, expires_at)
        select ${APP}, id, decode(h, 'hex'), now() + interval '1 day'
        from unnest(${ids}::bigint[], ${hashes}::text[]) as t(id, h)`;
      rows.forEach((r, i) => users.push({ name: r.username, id: Number(r.id), token: tokens[i]! }));
    }
    return users;
  } finally {
    await sql.end();
  }
}

/**
 * A phone for every user that never connects, with an FCM push token: while the user's other
 * client (the bench's socket, which has no device) is online, this device is offline, so every
 * message to the user is also an offline push to it.
 */
export async function seedPushPhones(databaseUrl: string, users: readonly BenchUser[]): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const ids = users.map((u) => u.id);
    await sql`
      insert into devices (app_id, user_id, device_sn, device_guid, platform, push_token, notifier_name)
      select ${APP}, id, 1, 'bench-phone', 2, 'fcm-token-' || id, 'fcm' from unnest(${ids}::bigint[]) as id`;
  } finally {
    await sql.end();
  }
}

/** A group owned by the first user with the others as members (they join at once). */
export async function createGroup(url: string, members: readonly BenchUser[], name: string): Promise<number> {
  const [owner, ...rest] = members;
  const data = await gql(
    url,
    `mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename ... on CreateGroupPayload { group { id } } ... on Error { code message } } }`,
    { input: { name, memberIds: rest.map((m) => String(m.id)) } },
    owner!.token,
  );
  if (data.createGroup.__typename !== 'CreateGroupPayload') throw new Error(`createGroup: ${JSON.stringify(data.createGroup)}`);
  return Number(data.createGroup.group.id);
}

/** The members (user ids) of each conversation of the app, and the seqs it holds. */
export async function conversationsOf(databaseUrl: string): Promise<Map<number, { members: number[]; seqs: number[] }>> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const members = await sql<{ conversation_id: string; user_id: string }[]>`
      select conversation_id, user_id from conversation_members where app_id = ${APP} and active`;
    const seqs = await sql<{ conversation_id: string; seqs: string[] }[]>`
      select conversation_id, array_agg(seq order by seq) as seqs from messages where app_id = ${APP} group by conversation_id`;
    const out = new Map<number, { members: number[]; seqs: number[] }>();
    for (const m of members) {
      const id = Number(m.conversation_id);
      if (!out.has(id)) out.set(id, { members: [], seqs: [] });
      out.get(id)!.members.push(Number(m.user_id));
    }
    for (const s of seqs) {
      const entry = out.get(Number(s.conversation_id));
      if (entry) entry.seqs = s.seqs.map(Number);
    }
    return out;
  } finally {
    await sql.end();
  }
}
