import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ExposedGc, releaseStartupMemory } from './release-startup-memory';

/** The process's private memory (heaps included), as the idle-RSS benchmark reads it. */
function rssAnonMiB(): number {
  return Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
}

/** V8's gc() in a process started without --expose-gc (as jest runs this spec). */
function exposedGc(): ExposedGc {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as ExposedGc;
}

/** Tens of MB that live long enough to reach the old generation, then die at once, as start-up's do. */
function leaveStartupGarbage(gc: ExposedGc): void {
  let garbage: { id: number; name: string; tags: number[] }[] | undefined = [];
  for (let i = 0; i < 400_000; i++) garbage.push({ id: i, name: `record ${i}`, tags: [i, i + 1] });
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  garbage = undefined;
  // An ordinary full collection frees the objects; V8 keeps their pages for reuse.
  gc({ type: 'major' });
}

describe('releaseStartupMemory', () => {
  it('does nothing where gc is not exposed', () => {
    expect(releaseStartupMemory(undefined)).toBe(false);
  });

  it('returns the pages of start-up garbage to the OS, which an ordinary full collection keeps', () => {
    const gc = exposedGc();
    gc({ type: 'major', flavor: 'last-resort' });
    const before = rssAnonMiB();
    leaveStartupGarbage(gc);
    const pooled = rssAnonMiB();
    expect(releaseStartupMemory(gc)).toBe(true);
    const after = rssAnonMiB();
    expect({ kept: pooled - before > 20, released: pooled - after > 20 }).toEqual({ kept: true, released: true });
  });
});
