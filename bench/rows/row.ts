import { CpuByGroup, Processes, startPidstat } from '../support/pidstat';
import { log } from '../support/processes';
import { WrkLoad, wrk } from '../support/wrk';

/** One line of `npm run bench`'s table (bench/all.bench.ts): a path, its rate and what every process spent on it. */
export interface Row {
  name: string;
  /** Requests (or events, or calls) per second. */
  perSecond: number;
  unit: 'req/s' | 'events/s' | 'calls/s';
  p50?: number;
  p99?: number;
  count: number;
  errors: number;
  /** CPU of each process group during the measured window, ms per second (pidstat). */
  cpu?: CpuByGroup;
  target?: string;
  met?: boolean;
  /** Why the row has no figures (it failed); the rest of the table still runs. */
  failed?: string;
  note?: string;
  /** The rate of the baseline measured in alternation with this row, when it has one (request/reply). */
  baselinePerSecond?: number;
}

export const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
export const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);
export const CONNECTIONS = 32;

/** `processes` for pidstat, plus the load generator's pid once known. */
export type ProcessesWith = (loadGenerator?: number) => Processes;

/** An HTTP row: wrk warm-up, then the measured run with pidstat alongside. */
export async function httpRow(name: string, load: Omit<WrkLoad, 'seconds'>, processes: ProcessesWith): Promise<Row> {
  const { result, during } = await wrk(name, { connections: CONNECTIONS, ...load, seconds: SECONDS }, WARMUP_SECONDS, async (pid) => {
    const sampling = startPidstat(processes(pid));
    return sampling;
  });
  const cpu = await during.stop();
  if (result.non2xx || result.errors) log(`${name}: ${result.non2xx} answers >= 400, ${result.errors} socket errors`);
  return {
    name,
    perSecond: result.perSecond,
    unit: 'req/s',
    p50: result.p50,
    p99: result.p99,
    count: result.requests,
    errors: result.errors + result.non2xx,
    cpu,
  };
}

/** Runs `measure` with pidstat alongside. */
export async function withCpu<T>(processes: Processes, measure: () => Promise<T>): Promise<{ result: T; cpu: CpuByGroup }> {
  const sampling = startPidstat(processes);
  try {
    const result = await measure();
    return { result, cpu: await sampling.stop() };
  } catch (error) {
    await sampling.stop().catch(() => undefined);
    throw error;
  }
}
