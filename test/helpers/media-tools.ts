import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The command if this machine has it on PATH, else the static build a dev dependency ships. */
function tool(command: string, installer: string): string {
  if (!spawnSync(command, ['-version'], { stdio: 'ignore' }).error) return command;
  return (require(installer) as { path: string }).path;
}

/**
 * ffmpeg and ffprobe for the test servers: the machine's own when installed (CI installs Debian's),
 * else the static builds of @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe, so the file
 * tests also run on a bare machine after `npm install`.
 */
export const mediaTools = {
  FFMPEG_PATH: tool('ffmpeg', '@ffmpeg-installer/ffmpeg'),
  FFPROBE_PATH: tool('ffprobe', '@ffprobe-installer/ffprobe'),
};
