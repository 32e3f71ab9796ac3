import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import type { Deps } from '../deps.js';
import { InvalidInputError, UnavailableError } from '../errors.js';
import type { StoredFile } from './model.js';

// Renditions and probes of stored bytes: thumbnails and previews with sharp, video covers, audio
// conversion and durations with ffmpeg/ffprobe when they are installed. Inputs are streamed from
// storage (or handed to ffmpeg as a path or presigned URL, since containers need to seek).

/** Decoding stops past this many pixels (a 10000×10000 image), so one upload cannot take all memory. */
const MAX_INPUT_PIXELS = 100_000_000;
const TOOL_TIMEOUT_MS = 120_000;

export const THUMBNAIL_SIZE = 256;
export const PREVIEW_SIZE = 1280;

/** A JPEG of the image (or the first frame of an animation), fitting in size×size, never enlarged. */
export function resizeToJpeg(input: Readable, size: number): Readable {
  const transform = sharp({ limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80, mozjpeg: true });
  input.once('error', (error) => transform.destroy(error));
  transform.once('error', () => input.destroy());
  return input.pipe(transform);
}

/** Width and height of an image; undefined when sharp cannot read it (HEIC: see docs). */
export async function imageSize(input: Readable): Promise<{ width: number; height: number } | undefined> {
  const reader = sharp({ limitInputPixels: MAX_INPUT_PIXELS });
  input.once('error', (error) => reader.destroy(error));
  try {
    const meta = await input.pipe(reader).metadata();
    if (!meta.width || !meta.height) return undefined;
    // EXIF orientations 5–8 turn the picture a quarter: report it as it is shown.
    return (meta.orientation ?? 1) >= 5 ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  } catch {
    return undefined;
  } finally {
    input.destroy();
  }
}

/** Video dimensions and duration, or audio duration, from ffprobe; nothing when it is missing or fails. */
export async function probeMedia(deps: Deps, input: string): Promise<{ width?: number; height?: number; durationMs?: number }> {
  try {
    const { stdout } = await run(deps.config.files.ffprobePath, [
      '-v', 'error', '-print_format', 'json', '-show_entries', 'format=duration:stream=codec_type,width,height', input,
    ]);
    const info = JSON.parse(stdout.toString('utf8')) as { format?: { duration?: string }; streams?: { codec_type?: string; width?: number; height?: number }[] };
    const video = info.streams?.find((s) => s.codec_type === 'video' && s.width && s.height);
    const seconds = Number(info.format?.duration);
    return {
      width: video?.width,
      height: video?.height,
      durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined,
    };
  } catch {
    return {};
  }
}

/** The first frame of a video as a JPEG (ffmpeg). */
export const videoCover = (deps: Deps, input: string) =>
  ffmpegStream(deps, ['-v', 'error', '-i', input, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'], 'cover');

/** An image sharp cannot decode (HEIC), as a JPEG, if ffmpeg can. */
export const imageViaFfmpeg = (deps: Deps, input: string) =>
  ffmpegStream(deps, ['-v', 'error', '-i', input, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '2', 'pipe:1'], 'image');

/** Audio transcoded to MP3 (ffmpeg with LAME). */
export const audioToMp3 = (deps: Deps, input: string) =>
  ffmpegStream(deps, ['-v', 'error', '-i', input, '-vn', '-c:a', 'libmp3lame', '-q:a', '4', '-f', 'mp3', 'pipe:1'], 'mp3');

/**
 * ffmpeg's output as a stream that errors (instead of ending) when ffmpeg fails, so a failed
 * conversion is never stored as if complete. A missing binary is CONVERTER_UNAVAILABLE.
 */
function ffmpegStream(deps: Deps, args: string[], what: string): Readable {
  const path = deps.config.files.ffmpegPath;
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child, path, what);
  exited.catch(() => {}); // awaited below, once the output is read
  const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS).unref();
  const output = Readable.from(
    (async function* () {
      try {
        for await (const chunk of child.stdout) yield chunk as Buffer;
        await exited;
      } finally {
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    })(),
  );
  return output;
}

function exitOf(child: ReturnType<typeof spawn>, path: string, what: string): Promise<void> {
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.length < 64 && stderr.push(chunk));
  return new Promise<void>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' || error.code === 'EACCES' ? unavailable(path) : error);
    });
    child.once('close', (code) => {
      if (code === 0) return resolve();
      const detail = Buffer.concat(stderr).toString('utf8').trim().split('\n').at(-1) ?? '';
      reject(new InvalidInputError('file', `could not make the ${what} of this file${detail ? `: ${detail.slice(0, 200)}` : ''}`, 'CONVERSION_FAILED'));
    });
  });
}

const unavailable = (path: string) =>
  new UnavailableError(`this server cannot convert media: the converter (${path}) is not installed; set FFMPEG_PATH or install ffmpeg`);

async function run(path: string, args: string[]): Promise<{ stdout: Buffer }> {
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS).unref();
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  try {
    await exitOf(child, path, 'probe');
  } finally {
    clearTimeout(timer);
  }
  return { stdout: Buffer.concat(chunks) };
}

export const isImage = (file: Pick<StoredFile, 'mimeType'>) => file.mimeType.startsWith('image/');
export const isVideo = (file: Pick<StoredFile, 'mimeType'>) => file.mimeType.startsWith('video/');
export const isAudio = (file: Pick<StoredFile, 'mimeType'>) => file.mimeType.startsWith('audio/');
/** Images sharp decodes itself; others (HEIC) go through ffmpeg first. */
export const sharpReads = (file: Pick<StoredFile, 'mimeType'>) =>
  ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'].includes(file.mimeType);
