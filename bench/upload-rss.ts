// Streams a large upload into a server process and watches that process's memory: bytes must
// flow through, never be held whole. Prints the server's resident set size before and during
// the upload, the throughput, and this machine's ceiling (writing the same bytes to disk).
//
//   npm run bench:upload -- [--mb 200] [--storage local|s3]

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startS3 } from '../test/helpers/s3.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '200' }, storage: { type: 'string', default: 'local' } } });
const MB = 1024 * 1024;
const size = Number(values.mb) * MB;
const storage = values.storage === 's3' ? 's3' : 'local';
const CHUNK = randomBytes(64 * 1024);

const dataDir = await mkdtemp(join(tmpdir(), 'im-bench-upload-'));
const s3 = storage === 's3' ? await startS3() : undefined;
const port = await freePort();
const appId = 'benchapp';
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    IM_BOOTSTRAP_APP_ID: appId,
    IM_BOOTSTRAP_APP_SECRET: 'bench-secret-0123456789',
    UPLOAD_MAX_BYTES_FILE: String(size + MB),
    ...s3?.env,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;

try {
  await ready();
  const [alice, bob] = [await user('alice'), await user('bob')];
  // Warm up: load every code path of an upload once, so the baseline includes them.
  await uploadBytes(await slot(alice.token, bob.id), 4 * MB);
  global.gc?.();
  const before = await rss();
  let peak = before;
  const sampler = setInterval(() => void rss().then((v) => (peak = Math.max(peak, v))), 20);
  const started = performance.now();
  const answer = await uploadBytes(await slot(alice.token, bob.id), size);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, await rss());
  if (answer.code !== 200 || answer.data.size !== size) throw new Error(`upload failed: ${JSON.stringify(answer)}`);

  const ceiling = await diskCeiling(size);
  console.log(`storage: ${storage}; upload of ${size / MB} MB (multipart POST, streamed)`);
  console.log(`server RSS before: ${(before / MB).toFixed(1)} MB; peak during upload: ${(peak / MB).toFixed(1)} MB; rise: ${((peak - before) / MB).toFixed(1)} MB`);
  console.log(`throughput: ${(size / MB / seconds).toFixed(1)} MB/s (${seconds.toFixed(1)} s); this machine's ceiling, writing the same bytes to disk: ${ceiling.toFixed(1)} MB/s`);
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await s3?.close();
  await rm(dataDir, { recursive: true, force: true });
}

async function ready() {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('ready at')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
}

async function gql(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return ((await res.json()) as { data: any }).data;
}

async function user(username: string) {
  const password = 'bench-password';
  const reg = await gql(`mutation($a: ID!, $u: String!, $p: String!) { registerUser(appId: $a, input: { username: $u, password: $p }) { ... on RegisterUserPayload { user { id } } } }`, {
    a: appId,
    u: username,
    p: password,
  });
  const login = await gql(`mutation($a: ID!, $i: CreateAccessTokenInput!) { createAccessToken(appId: $a, input: $i) { ... on CreateAccessTokenPayload { accessToken { token } } } }`, {
    a: appId,
    i: { username, password },
  });
  return { id: reg.registerUser.user.id as string, token: login.createAccessToken.accessToken.token as string };
}

async function slot(token: string, to: string) {
  const data = await gql(
    `mutation($to: ID!) { createUploadSlot(input: { purpose: CHAT_FILE, fileType: FILE, conversation: { userId: $to } }) { ... on CreateUploadSlotPayload { slot { uploadUrl formFields } } } }`,
    { to },
    token,
  );
  return data.createUploadSlot.slot as { uploadUrl: string; formFields: { token: string } };
}

/** A multipart POST of `bytes` pseudo-random bytes, written as the socket drains. */
function uploadBytes(target: { uploadUrl: string; formFields: { token: string } }, bytes: number) {
  const boundary = `bench${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="token"\r\n\r\n${target.formFields.token}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise<any>((resolve, reject) => {
    const req = request(target.uploadUrl, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + bytes + tail.length },
    });
    req.on('response', async (res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

/** The server process's resident set size, from /proc. */
async function rss(): Promise<number> {
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function diskCeiling(bytes: number): Promise<number> {
  const path = join(dataDir, 'ceiling.bin');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    let written = 0;
    const pump = () => {
      while (written < bytes) {
        written += CHUNK.length;
        if (!out.write(CHUNK)) return void out.once('drain', pump);
      }
      out.end(resolve);
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  await rm(path);
  return bytes / MB / seconds;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
