import { Client } from 'ssh2';
import type { ConnectConfig } from 'ssh2';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run one command over a fresh ssh2 connection that accepts only `hostKeyPublic` (tests only; src/ has its own adapter). */
export function sshExec(
  target: { host: string; port: number; user: string; privateKey: Buffer; hostKeyPublic: string },
  command: string,
  extra: Partial<ConnectConfig> = {},
): Promise<ExecResult> {
  const expectedKey = Buffer.from(target.hostKeyPublic.split(' ')[1], 'base64');
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.exec(command, (error, channel) => {
          if (error) {
            client.end();
            reject(error);
            return;
          }
          let stdout = '';
          let stderr = '';
          channel.on('data', (data: Buffer) => (stdout += data.toString()));
          channel.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
          channel.on('close', (code: number | null) => {
            client.end();
            resolve({ stdout, stderr, code });
          });
        });
      })
      .on('error', reject)
      .connect({
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: target.privateKey,
        hostVerifier: (key: Buffer) => key.equals(expectedKey),
        readyTimeout: 15_000,
        ...extra,
      });
  });
}
