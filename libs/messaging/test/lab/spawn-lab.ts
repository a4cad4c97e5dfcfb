import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../../..');

export interface LabProcess {
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Starts test/lab/lab-process.ts in a child Node process (TypeScript through @swc-node/register). */
export function spawnLab(env: Record<string, string>): LabProcess {
  const child = fork(join(__dirname, 'lab-process.ts'), [], {
    cwd: root,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(root, 'libs/messaging/tsconfig.spec.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((how) => reject(new Error(`lab process exited (${how}) before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    exited,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
