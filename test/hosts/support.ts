import { spawnSync } from 'node:child_process';
import { optionalTier } from '../helpers/tier.ts';

/** Tests that run the real ansible-inventory (Debian's ansible-core); BATON_TEST_ANSIBLE=1 makes them mandatory. */
export const ansibleTest = optionalTier({
  name: 'ansible',
  requiredBy: 'BATON_TEST_ANSIBLE',
  probe: () =>
    spawnSync('ansible-inventory', ['--version'], { stdio: 'ignore' }).error
      ? 'ansible-inventory is not installed (apt-get install ansible-core)'
      : undefined,
});
