import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@crm/testing';

export interface ChildService {
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a service's process script (a file that starts the app and sends 'ready' over IPC) in a
 * child Node process, TypeScript through @swc-node/register with that app's spec tsconfig.
 */
export function spawnChildService(app: string, script: string, env: Record<string, string>): ChildService {
  const child = fork(join(workspaceRoot(), 'apps', app, script), [], {
    cwd: workspaceRoot(),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(workspaceRoot(), `apps/${app}/tsconfig.spec.json`) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((how) => reject(new Error(`${app} exited (${how}) before it was ready`)));
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
