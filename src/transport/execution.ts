/** Small constructors of Executions shared by the transports. */
import type { Execution } from './transport.ts';

/** An execution that failed before it ran. */
export function failedExecution(error: unknown): Execution {
  const reason = error instanceof Error ? error : new Error(String(error));
  return { result: Promise.reject(reason), kill: () => Promise.resolve() };
}

/** An execution that starts once `ready` resolves (a command given while the transport is still opening). */
export function deferredExecution(ready: Promise<void>, start: () => Execution): Execution {
  let killedWith: NodeJS.Signals | undefined;
  const started = ready.then(() => start());
  return {
    result: started.then((execution) => {
      if (killedWith !== undefined) void execution.kill(killedWith);
      return execution.result;
    }),
    kill: async (signal = 'SIGTERM') => {
      killedWith = signal;
      const execution = await started.catch(() => undefined);
      await execution?.kill(signal);
    },
  };
}
