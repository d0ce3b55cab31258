/** The optional test tiers, each gated by its probe; the fixtures themselves (sshd.ts, netns.ts) do not need ava. */
import { netnsUnavailableReason } from './netns.ts';
import { sshdUnavailableReason } from './sshd.ts';
import { optionalTier } from './tier.ts';

/** Tests that need a real OpenSSH sshd; BATON_TEST_SSHD=1 makes them mandatory. */
export const sshdTest = optionalTier({
  name: 'sshd',
  requiredBy: 'BATON_TEST_SSHD',
  probe: sshdUnavailableReason,
});

/** Tests that need several hosts as network namespaces; BATON_TEST_NETNS=1 makes them mandatory. */
export const netnsTest = optionalTier({
  name: 'netns',
  requiredBy: 'BATON_TEST_NETNS',
  probe: netnsUnavailableReason,
});
