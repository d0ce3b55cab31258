import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { JournalEvent } from '../journal/events.ts';
import type { ParsedJournal } from '../journal/reader.ts';
import { readJournal } from '../journal/reader.ts';

/** The environment a cast header may carry (P4): nothing else of the user's environment is written. */
export const CAST_ENV = ['TERM', 'LANG'] as const;

const DEFAULT_SIZE = { width: 80, height: 24 };

interface CastStream {
  width: number;
  height: number;
  open: boolean;
  decoder: StringDecoder;
  /** asciicast v2 event lines: `[time, "o", text]` output, `[time, "m", label]` markers. */
  lines: string[];
}

/**
 * The asciicast v2 transcripts of a job (P4), one per stream, from its journal: the stream's output as it
 * came (spilled output read back from the task files), a marker per step and per barrier release in every
 * stream open then. Typed input is never in them, so neither are secrets typed into a terminal.
 */
export function castsOf(
  journal: ParsedJournal,
  jobDir: string,
  env: Record<string, string | undefined> = {},
): Map<string, string> {
  const streams = new Map<string, CastStream>();
  const released = new Set<string>();
  const time = (event: JournalEvent) => Math.round(event.t) / 1000;
  const marker = (event: JournalEvent, label: string) => {
    for (const stream of streams.values())
      if (stream.open) stream.lines.push(JSON.stringify([time(event), 'm', label]));
  };
  for (const event of journal.events) {
    switch (event.kind) {
      case 'stream-state': {
        const stream = streams.get(event.stream);
        if (!stream || (event.state === 'opening' && !stream.open))
          streams.set(event.stream, {
            ...DEFAULT_SIZE,
            ...(stream ? { width: stream.width, height: stream.height, lines: stream.lines } : { lines: [] }),
            open: true,
            decoder: new StringDecoder('utf8'),
          });
        if (event.state === 'closed' || event.state === 'lost') streams.get(event.stream)!.open = false;
        break;
      }
      case 'resize': {
        const stream = streams.get(event.stream);
        if (stream && stream.lines.length === 0)
          Object.assign(stream, { width: event.cols, height: event.rows });
        else if (stream) stream.lines.push(JSON.stringify([time(event), 'r', `${event.cols}x${event.rows}`]));
        break;
      }
      case 'output': {
        const stream = streams.get(event.stream);
        if (!stream) break;
        const text = stream.decoder.write(outputBytes(event, jobDir)).replace(/(?<!\r)\n/g, '\r\n');
        if (text !== '') stream.lines.push(JSON.stringify([time(event), 'o', text]));
        break;
      }
      case 'command':
        if (event.command.kind === 'mark' && typeof event.command.name === 'string') {
          const step = /^@step(\d+)$/.exec(event.command.name);
          const where =
            event.source.kind === 'script'
              ? ` ${event.source.file.split('/').pop()}:${event.source.line}`
              : '';
          marker(event, step ? `step ${step[1]}${where}` : `mark ${event.command.name}`);
        }
        break;
      case 'barrier': {
        const key = `${event.barrier} ${event.gen}`;
        if (event.phase !== 'go' || released.has(key)) break;
        released.add(key);
        marker(event, `barrier ${event.barrier} released (gen ${event.gen})`);
        break;
      }
      default:
        break;
    }
  }
  const timestamp = Math.floor(Date.parse(journal.header.startedAt) / 1000);
  const castEnv = Object.fromEntries(
    CAST_ENV.flatMap((key) => (env[key] === undefined ? [] : [[key, env[key]]])),
  );
  const casts = new Map<string, string>();
  for (const [name, stream] of streams) {
    const header = {
      version: 2,
      width: stream.width,
      height: stream.height,
      timestamp,
      title: name,
      env: castEnv,
    };
    casts.set(name, [JSON.stringify(header), ...stream.lines].join('\n') + '\n');
  }
  return casts;
}

/** `results/<job>/casts/<stream>.cast` for a finished job, owner-only; returns the files written. */
export function writeCasts(jobDir: string, env: Record<string, string | undefined> = {}): string[] {
  const casts = castsOf(readJournal(join(jobDir, 'journal.jsonl')), jobDir, env);
  const dir = join(jobDir, 'casts');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return [...casts].map(([stream, text]) => {
    const path = join(dir, `${stream.replace(/[^A-Za-z0-9._-]/g, '_')}.cast`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  });
}

// An output event's bytes: inline text or base64, or the range of the task's file the journal points at.
function outputBytes(event: Extract<JournalEvent, { kind: 'output' }>, jobDir: string): Buffer {
  if (event.spilled) {
    const buffer = Buffer.alloc(event.spilled.length);
    let fd: number | undefined;
    try {
      fd = openSync(join(jobDir, event.spilled.file), 'r');
      const read = readSync(fd, buffer, 0, buffer.length, event.spilled.offset);
      return buffer.subarray(0, read);
    } catch {
      return Buffer.alloc(0);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return Buffer.from(event.data, event.encoding === 'base64' ? 'base64' : 'utf8');
}
