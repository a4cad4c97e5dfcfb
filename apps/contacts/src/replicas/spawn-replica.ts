import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { testEnv, testGatewayKeyEnv, workspaceRoot } from '@crm/testing';

export interface ReplicaProcess {
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Starts replica-process.ts in a child Node process (TypeScript through @swc-node/register). */
export function spawnReplica(env: Record<string, string>): ReplicaProcess {
  const child = fork(join(__dirname, 'replica-process.ts'), [], {
    cwd: workspaceRoot(),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(workspaceRoot(), 'apps/contacts/tsconfig.spec.json') },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((how) => reject(new Error(`replica exited (${how}) before it was ready`)));
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

/** A replica's environment: its database and bus prefix, the test broker, Redis and the gateway's test key. */
export async function replicaEnv(databaseUrl: string, busPrefix: string): Promise<Record<string, string>> {
  const env = await testEnv();
  return {
    CONTACTS_DATABASE_URL: databaseUrl,
    RABBITMQ_URL: env.rabbitmqUrl,
    REDIS_URL: env.redisUrl,
    LOG_LEVEL: 'error',
    BUS_NAME_PREFIX: busPrefix,
    ...testGatewayKeyEnv(),
  };
}
