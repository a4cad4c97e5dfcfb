import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU time spent by each part of the system over a span, read from /proc (Linux): the services
 * (each child process with its descendants), Postgres, RabbitMQ and Redis (by process name). A
 * throughput target is out of reach when the CPU one unit of work costs, summed over every part,
 * times the target exceeds the cores there are: this turns a missed target into a measured budget.
 */

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** The command line (a Postgres backend's shows its database). */
  args: string;
  /** utime + stime, in seconds. */
  ownSeconds: number;
  /** cutime + cstime: children that ended and were waited for, in seconds. */
  childrenSeconds: number;
}

function readStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: the fields after the last ')' are positional.
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // fields[0] is state (field 3 of stat); utime is field 14, so fields[11].
      const [utime, stime, cutime, cstime] = [fields[11], fields[12], fields[13], fields[14]].map(Number);
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      stats.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        comm,
        args,
        ownSeconds: (utime + stime) / TICKS_PER_SECOND,
        childrenSeconds: (cutime + cstime) / TICKS_PER_SECOND,
      });
    } catch {
      // The process ended while we read.
    }
  }
  return stats;
}

/**
 * What a part of the system is: root pids (a service and its descendants, with the children that
 * ended), or processes by name whose command line matches `args` (their own time only: the
 * postmaster's ended children are every database's backends, other work on the machine included).
 */
export type CpuGroups = Record<string, { pids?: number[]; names?: RegExp; args?: RegExp }>;

export type CpuSnapshot = Record<string, number>;

/** The CPU seconds each group has used so far (since its processes started). */
export function cpuSnapshot(groups: CpuGroups): CpuSnapshot {
  const stats = readStats();
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const snapshot: CpuSnapshot = {};
  for (const [group, { pids = [], names, args }] of Object.entries(groups)) {
    let seconds = 0;
    const seen = new Set<number>();
    const visit = (stat: ProcStat | undefined) => {
      if (!stat || seen.has(stat.pid)) return;
      seen.add(stat.pid);
      seconds += stat.ownSeconds + stat.childrenSeconds;
      for (const child of children.get(stat.pid) ?? []) visit(child);
    };
    for (const pid of pids) visit(byPid.get(pid));
    if (names) for (const stat of stats) if (names.test(stat.comm) && (!args || args.test(stat.args))) seconds += stat.ownSeconds;
    snapshot[group] = seconds;
  }
  return snapshot;
}

/** CPU seconds per group between two snapshots. */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(Object.keys(after).map((group) => [group, Math.max(0, after[group] - (before[group] ?? 0))]));
}

/** Waits until the groups together use less than `idleCores` of CPU for `quietSeconds` in a row (consumers catching up), at most `maxSeconds`. */
export async function untilIdle(groups: CpuGroups, idleCores = 0.15, quietSeconds = 3, maxSeconds = 180): Promise<void> {
  let quiet = 0;
  let last = cpuSnapshot(groups);
  for (let waited = 0; waited < maxSeconds && quiet < quietSeconds; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuSnapshot(groups);
    const used = Object.values(cpuSpent(last, now)).reduce((a, b) => a + b, 0);
    quiet = used < idleCores ? quiet + 1 : 0;
    last = now;
  }
}

/**
 * The groups of a running CRM system: its services by pid, Postgres's backends of its databases
 * (and the server's own writers), RabbitMQ and Redis by process name. Backends of other databases
 * (tests running beside) are left out; the broker and Redis are shared with whatever else runs.
 */
export function systemCpuGroups(services: Record<string, number | undefined>, databases: string[]): CpuGroups {
  const groups: CpuGroups = {};
  for (const [name, pid] of Object.entries(services)) if (pid !== undefined) groups[name] = { pids: [pid] };
  const ours = databases.map((d) => d.replace(/[^a-z0-9_]/gi, '')).join('|');
  groups['postgres'] = { names: /^postgres$/, args: new RegExp(`^postgres: (\\S+: )?(\\S+ (${ours}) |(checkpointer|background writer|walwriter))`) };
  groups['rabbitmq'] = { names: /^(beam\.smp|erl_child_setup|epmd|inet_gethost)$/ };
  groups['redis'] = { names: /^redis-server$/ };
  return groups;
}

/** The highest rate the cores could carry if one unit of work costs `cpuSecondsPerUnit` summed over every part. */
export function cpuCeiling(cpuSecondsPerUnit: number): number {
  return cpus().length / cpuSecondsPerUnit;
}
