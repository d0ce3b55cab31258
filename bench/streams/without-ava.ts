/**
 * Lets the bench import test/helpers/sshd.ts outside ava: that module declares its test tier with ava, which
 * refuses to load outside its CLI. Imported first, this resolves `ava` to an inert stand-in.
 */
import { register } from 'node:module';

const standIn = 'const test = () => undefined; test.serial = test; test.skip = test; export default test;';
const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === 'ava') return { url: 'data:text/javascript,${encodeURIComponent(standIn)}', shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
