import { isAlive } from './process.ts';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshExec } from './ssh-exec.ts';
import type { ExecResult } from './ssh-exec.ts';
import { generateKey, sshdUnavailableReason, startSshd } from './sshd.ts';
import type { PrivateSshd } from './sshd.ts';

/** One test host: its own network namespace, address, hostname and sshd. */
export interface LabHost {
  name: string;
  /** The hostname its processes see (unique per run). */
  hostname: string;
  netns: string;
  address: string;
  /** Its address on the data network (interface `data0`), when the lab has one. */
  dataAddress?: string;
  sshd: PrivateSshd;
}

export interface Lab {
  hosts: LabHost[];
  /** The root namespace's address on the lab bridge (where the controller is reached from the hosts). */
  bridgeAddress: string;
  /** The client key every host accepts. */
  privateKeyPath: string;
  run(host: LabHost, command: string): Promise<ExecResult>;
  teardown(): Promise<void>;
}

const CLAIMS = join(tmpdir(), 'baton-netns-claims');
const SUBNET_PREFIX = '10.200';

function ip(...args: string[]): { ok: boolean; stderr: string } {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: result.status === 0, stderr: result.stderr ?? String(result.error) };
}

function mustIp(...args: string[]): void {
  const result = ip(...args);
  if (!result.ok) throw new Error(`ip ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

export function netnsUnavailableReason(): string | undefined {
  const sshd = sshdUnavailableReason();
  if (sshd) return sshd;
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (spawnSync('ip', ['-V']).error) return 'ip (iproute2) is not installed';
  if (spawnSync('unshare', ['--version']).error) return 'unshare (util-linux) is not installed';
  const probe = `btprobe${process.pid}`;
  const added = ip('netns', 'add', probe);
  if (!added.ok) return `cannot create a network namespace: ${added.stderr.trim()}`;
  ip('netns', 'del', probe);
  return undefined;
}

interface Claim {
  subnet: number;
  pid: number;
  bridge: string;
  /** The data network's bridge, when the lab has one. */
  dataBridge?: string;
  namespaces: string[];
  veths: string[];
}

/** Remove what a lab of a process that died without teardown left behind. */
function destroy(claim: Omit<Claim, 'pid'>): void {
  for (const namespace of claim.namespaces) {
    spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' })
      .stdout?.split('\n')
      .filter(Boolean)
      .forEach((pid) => spawnSync('kill', ['-9', pid]));
    ip('netns', 'del', namespace);
  }
  for (const veth of claim.veths) ip('link', 'del', veth);
  ip('link', 'del', claim.bridge);
  if (claim.dataBridge) ip('link', 'del', claim.dataBridge);
  rmSync(join(CLAIMS, String(claim.subnet)), { recursive: true, force: true });
  try {
    rmdirSync(CLAIMS);
  } catch {
    // Another process holds a claim: the last lab out removes the folder.
  }
}

function reapStaleClaims(): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(CLAIMS);
  } catch {
    // No claims folder: no lab is running, none to reap.
  }
  for (const entry of entries) {
    try {
      const claim = JSON.parse(readFileSync(join(CLAIMS, entry, 'claim.json'), 'utf8')) as Claim;
      if (!isAlive(claim.pid)) destroy(claim);
    } catch {
      continue;
    }
  }
}

/** Claim a /24 for this lab: mkdir is atomic, so concurrent test processes never share one. */
function claimSubnet(): number {
  reapStaleClaims();
  for (let attempt = 0; attempt < 200; attempt++) {
    const subnet = 1 + Math.floor(Math.random() * 250);
    try {
      mkdirSync(CLAIMS, { recursive: true });
      mkdirSync(join(CLAIMS, String(subnet)));
      return subnet;
    } catch {
      continue;
    }
  }
  throw new Error('no free lab subnet');
}

const liveLabs = new Set<Claim>();
process.on('exit', () => {
  for (const claim of liveLabs) destroy(claim);
});

/** Give a host `data0` on the data bridge; returns its address there. */
function addDataLink(
  claim: Claim,
  namespace: string,
  runId: string,
  index: number,
  save: () => void,
): string {
  const veth = `bt${runId}d${index}`;
  const peer = `bt${runId}q${index}`;
  const address = `10.201.${claim.subnet}.${10 + index}`;
  mustIp('link', 'add', veth, 'type', 'veth', 'peer', 'name', peer);
  claim.veths.push(veth);
  save();
  mustIp('link', 'set', peer, 'netns', namespace);
  mustIp('-n', namespace, 'link', 'set', peer, 'name', 'data0');
  mustIp('link', 'set', veth, 'master', claim.dataBridge ?? '');
  mustIp('link', 'set', veth, 'up');
  mustIp('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'data0');
  mustIp('-n', namespace, 'link', 'set', 'data0', 'up');
  return address;
}

/** Create `count` hosts h1..hN on a private bridge, each with its own sshd, hostname and address. */
export async function createLab(
  count: number,
  options: {
    stockLimits?: boolean;
    /** The home folder every host's sessions see (startSshd's `home`): its .ssh/config reaches other hosts. */
    home?: string;
    /**
     * A second network beside the one sshd listens on: `data0` in each host (10.201.N.0/24), so that a test can
     * take a host's data link down while its ssh connection, on `eth0`, stays up.
     */
    dataLink?: boolean;
  } = {},
): Promise<Lab> {
  const reason = netnsUnavailableReason();
  if (reason) throw new Error(reason);
  const subnet = claimSubnet();
  const runId = (process.pid % 0x10000).toString(16).padStart(4, '0') + subnet.toString(16).padStart(2, '0');
  const claim: Claim = { subnet, pid: process.pid, bridge: `bt${runId}br`, namespaces: [], veths: [] };
  const save = () => writeFileSync(join(CLAIMS, String(subnet), 'claim.json'), JSON.stringify(claim));
  save();
  liveLabs.add(claim);
  const bridgeAddress = `${SUBNET_PREFIX}.${subnet}.1`;
  const hosts: LabHost[] = [];
  const teardown = async () => {
    await Promise.allSettled(hosts.map((host) => host.sshd.stop()));
    destroy(claim);
    liveLabs.delete(claim);
  };
  const keyDir = mkdtempSync(join(tmpdir(), 'baton-lab-'));
  try {
    mustIp('link', 'add', claim.bridge, 'type', 'bridge');
    mustIp('addr', 'add', `${bridgeAddress}/24`, 'dev', claim.bridge);
    mustIp('link', 'set', claim.bridge, 'up');
    if (options.dataLink) {
      claim.dataBridge = `bt${runId}bd`;
      save();
      mustIp('link', 'add', claim.dataBridge, 'type', 'bridge');
      mustIp('link', 'set', claim.dataBridge, 'up');
    }
    const privateKeyPath = join(keyDir, 'client_ed25519');
    generateKey(privateKeyPath);
    for (let index = 1; index <= count; index++) {
      const namespace = `bt${runId}h${index}`;
      const veth = `bt${runId}v${index}`;
      const peer = `bt${runId}p${index}`;
      const address = `${SUBNET_PREFIX}.${subnet}.${10 + index}`;
      mustIp('netns', 'add', namespace);
      claim.namespaces.push(namespace);
      mustIp('link', 'add', veth, 'type', 'veth', 'peer', 'name', peer);
      claim.veths.push(veth);
      save();
      mustIp('link', 'set', peer, 'netns', namespace);
      mustIp('-n', namespace, 'link', 'set', peer, 'name', 'eth0');
      mustIp('link', 'set', veth, 'master', claim.bridge);
      mustIp('link', 'set', veth, 'up');
      mustIp('-n', namespace, 'link', 'set', 'lo', 'up');
      mustIp('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      mustIp('-n', namespace, 'link', 'set', 'eth0', 'up');
      mustIp('-n', namespace, 'route', 'add', 'default', 'via', bridgeAddress);
      const dataAddress = claim.dataBridge
        ? addDataLink(claim, namespace, `${runId}`, index, save)
        : undefined;
      const name = `h${index}`;
      const hostname = `${name}-${runId}`;
      const sshd = await startSshd({
        address,
        port: 22,
        netns: namespace,
        hostname,
        clientKeyPath: privateKeyPath,
        ...(options.stockLimits ? { stockLimits: true } : {}),
        ...(options.home ? { home: options.home } : {}),
      });
      hosts.push({
        name,
        hostname,
        netns: namespace,
        address,
        ...(dataAddress ? { dataAddress } : {}),
        sshd,
      });
    }
    return {
      hosts,
      bridgeAddress,
      privateKeyPath,
      run: (host, command) => sshExec(host.sshd, command),
      teardown: async () => {
        await teardown();
        rmSync(keyDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await teardown();
    rmSync(keyDir, { recursive: true, force: true });
    throw error;
  }
}
