import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the first start keeps the default app's credentials: readable by the server's user only. */
export const CREDENTIALS_FILE = 'default-app-credentials.txt';

/**
 * The default app's credentials, created on the first start: written to a 0600 file in the data
 * directory, never to the log stream (a collector would keep them). They are printed only when
 * stdout is a terminal (a person is watching); under a supervisor the output says where the file is.
 */
export async function keepFirstCredentials(
  dataDir: string,
  app: { appId: string; appSecret: string },
  out: { isTTY?: boolean; write: (text: string) => unknown } = process.stdout,
): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, CREDENTIALS_FILE);
  await writeFile(file, `app_id=${app.appId}\napp_secret=${app.appSecret}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // an older file keeps its mode on overwrite
  const lines = ['', `Created the default app. Its credentials are in ${file} (readable by this user only); only the secret's hash is stored.`];
  if (out.isTTY) lines.push(`  app_id:     ${app.appId}`, `  app_secret: ${app.appSecret}`);
  out.write([...lines, ''].join('\n') + '\n');
  return file;
}
