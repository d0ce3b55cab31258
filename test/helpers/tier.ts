import test from 'ava';
import type { ExecutionContext, ImplementationFn } from 'ava';

type Impl = ImplementationFn<[], unknown>;

/** An ava test function for one optional tier: it runs, skips with one line saying why, or fails when required. */
export interface TierTest {
  (title: string, implementation: Impl): void;
  serial(title: string, implementation: Impl): void;
  /** Whether the tier's tests run in this process. */
  readonly available: boolean;
  readonly reason: string | undefined;
}

export interface TierOptions {
  /** The tier's name, shown in the skip line. */
  name: string;
  /** The environment variable that makes the tier mandatory when set to 1. */
  requiredBy: string;
  /** Undefined when the tier can run here, else why it cannot. */
  probe: () => string | undefined;
}

const announced = new Set<string>();

/** A tier runs when its probe passes; `VAR=1` makes it mandatory, `VAR=0` switches it off. */
export function optionalTier({ name, requiredBy, probe }: TierOptions): TierTest {
  const switchedOff = process.env[requiredBy] === '0';
  const reason = switchedOff ? `switched off (${requiredBy}=0)` : probe();
  const required = process.env[requiredBy] === '1';
  const run = (register: typeof test | typeof test.serial) => (title: string, implementation: Impl) => {
    if (reason === undefined) {
      register(title, implementation);
    } else if (required) {
      register(title, (t: ExecutionContext) => {
        t.fail(`the ${name} tier is required (${requiredBy}=1) but cannot run: ${reason}`);
      });
    } else {
      if (!announced.has(name)) {
        announced.add(name);
        console.log(`  ${name} tier skipped: ${reason} (set ${requiredBy}=1 to require it)`);
      }
      test.skip(title, implementation);
    }
  };
  return Object.assign(run(test), { serial: run(test.serial), available: reason === undefined, reason });
}
