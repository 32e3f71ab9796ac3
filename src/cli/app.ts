import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createApp } from '../domain/apps.js';
import { DomainError } from '../domain/errors.js';

const USAGE = 'usage: npm run app -- create NAME [--id APP_ID]';

/** `npm run app -- create NAME [--id APP_ID]`: creates an app and prints its credentials once. */
async function main(args: string[]) {
  const [command, name, ...rest] = args;
  if (command !== 'create' || !name) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const idFlag = rest.indexOf('--id');
  const appId = idFlag >= 0 ? rest[idFlag + 1] : undefined;
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const app = await createApp(database.db, { name, appId });
    process.stdout.write(
      `Created app "${app.name}". Keep its secret now: it is not shown again.\n` +
        `  app_id:     ${app.appId}\n  app_secret: ${app.appSecret}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
