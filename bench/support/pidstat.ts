import { spawn } from 'node:child_process';

/**
 * CPU per process while a load runs, from `pidstat -u` (sysstat), grouped into the processes a
 * benchmark row reports: the services and the load generator by pid, Postgres (this run's
 * backends plus the server's own background processes), RabbitMQ (beam.smp), Redis.
 * The machine is shared: Postgres backends of other databases and everything else land in `other`.
 */

export interface Processes {
  /** Group name -> pids (services, load generator, the benchmark process itself). */
  pids: Record<string, Array<number | undefined>>;
  /** Databases of this run: their Postgres backends count as this run's. */
  databases: string[];
}

export const POSTGRES = 'Postgres';
export const RABBITMQ = 'RabbitMQ';
export const REDIS = 'Redis';
export const OTHER = 'other (not this run)';

/** CPU of each group, in ms of CPU per second of wall time (1,000 = one core busy). */
export type CpuByGroup = Record<string, number>;

interface Sample {
  time: string;
  pid: number;
  cpu: number;
  command: string;
}

export interface RunningPidstat {
  /** Ends sampling; each group's average CPU over the one-second intervals seen. */
  stop(): Promise<CpuByGroup>;
}

/** Samples every second until stopped (for loads whose length is not known up front). */
export function startPidstat(processes: Processes): RunningPidstat {
  const child = spawn('pidstat', ['-h', '-l', '-u', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LC_ALL: 'C', S_TIME_FORMAT: 'ISO' },
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      return group(parse(out), processes);
    },
  };
}

function parse(out: string): Sample[] {
  const samples: Sample[] = [];
  let columns: string[] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('#')) {
      columns = line.slice(1).trim().split(/\s+/);
      continue;
    }
    if (!columns.length || !line.trim() || line.startsWith('Average')) continue;
    const fields = line.trim().split(/\s+/);
    const commandAt = columns.indexOf('Command');
    const sample = {
      time: fields[columns.indexOf('Time')],
      pid: Number(fields[columns.indexOf('PID')]),
      cpu: Number(fields[columns.indexOf('%CPU')]),
      command: fields.slice(commandAt).join(' '),
    };
    // A line cut short when pidstat is interrupted.
    if (Number.isFinite(sample.pid) && Number.isFinite(sample.cpu)) samples.push(sample);
  }
  return samples;
}

function group(samples: Sample[], processes: Processes): CpuByGroup {
  const byPid = new Map<number, string>();
  for (const [name, pids] of Object.entries(processes.pids)) for (const pid of pids) if (pid) byPid.set(pid, name);
  const intervals = Math.max(1, new Set(samples.map((s) => s.time)).size);
  const total: CpuByGroup = Object.fromEntries([...Object.keys(processes.pids), POSTGRES, RABBITMQ, REDIS, OTHER].map((name) => [name, 0]));
  for (const s of samples) {
    const name = byPid.get(s.pid) ?? classify(s.command, processes.databases);
    // %CPU of one one-second interval = CPU ms in it / 10.
    total[name] += (s.cpu * 10) / intervals;
  }
  return total;
}

function classify(command: string, databases: string[]): string {
  if (/^postgres\b|\/postgres\s/.test(command)) {
    if (databases.some((db) => new RegExp(` ${db}(\\s|$)`).test(command))) return POSTGRES;
    // A backend of someone else's database (`postgres: <cluster>: <user> <db> <client> <state>`).
    if (/\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(command)) return OTHER;
    return POSTGRES; // the server's own background processes (checkpointer, WAL writer, autovacuum)
  }
  if (/beam\.smp/.test(command)) return RABBITMQ;
  if (/redis-server/.test(command)) return REDIS;
  return OTHER;
}
