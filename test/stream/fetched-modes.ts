import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { TaskRecord } from '../../src/stream/task.ts';

/** A block that leaves world-readable data (and, with `whiteboard`, a world-readable whiteboard) on its host. */
export function openModesBlock(whiteboard: boolean): string {
  return [
    'umask 022',
    'mkdir -p "$BATON_TASK_DIR/sub"',
    'echo x > "$BATON_TASK_DIR/sub/file.txt"',
    'printf "#!/bin/sh\\n" > "$BATON_TASK_DIR/run.sh"',
    'chmod 755 "$BATON_TASK_DIR" "$BATON_TASK_DIR/run.sh"',
    ...(whiteboard ? ['echo note > "$BATON_WHITEBOARD"', 'chmod 644 "$BATON_WHITEBOARD"'] : []),
  ].join('; ');
}

/** What came back of that block is owner-only: folders 0700, files 0600, an executable 0700. */
export function assertOwnerOnly(t: ExecutionContext, record: TaskRecord, whiteboard: boolean): void {
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
  const data = record.paths!.data;
  t.is(mode(data), '700', 'data/');
  t.is(mode(join(data, 'sub')), '700', 'data/sub/');
  t.is(mode(join(data, 'sub', 'file.txt')), '600', 'data/sub/file.txt');
  t.is(mode(join(data, 'run.sh')), '700', 'data/run.sh');
  if (whiteboard) t.is(mode(join(record.paths!.dir, 'whiteboard')), '600', 'whiteboard');
}
