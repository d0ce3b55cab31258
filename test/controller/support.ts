import { Controller } from '../../src/controller/controller.ts';
import type { ControllerOptions } from '../../src/controller/controller.ts';
import { Journal } from '../../src/journal/journal.ts';
import type { JournalEvent } from '../../src/journal/events.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { startJobSyncServer } from '../../src/sync/job.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** A controller on a real job: journal, results folder and sync server; `close()` takes all of it down. */
export async function startController(options: Partial<ControllerOptions> = {}) {
  const journal = new Journal();
  const events: JournalEvent[] = [];
  journal.subscribe((event) => events.push(event));
  const results = new ResultsFolder(scratchDir('baton-controller-'), journal);
  const sync = await startJobSyncServer(journal);
  const controller = new Controller({ journal, results, sync, killGraceMs: 200, ...options });
  const close = async () => {
    await controller.dispose();
    await sync.close();
    results.dispose();
  };
  return { controller, journal, events, results, sync, close };
}
