// CPU time of a browser and all its child processes (renderers, network service, GPU…), read
// from Linux's /proc. On a small machine the loopback data channel is CPU-bound, so CPU per
// megabyte is a steadier figure than throughput, which swings with whatever else runs.

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, in ticks. */
  readonly ticks: number;
}

function readProc(pid: number): ProcEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ppid) && Number.isFinite(ticks) ? { pid, ppid, ticks } : undefined;
  } catch {
    return undefined; // the process ended meanwhile
  }
}

/**
 * CPU milliseconds used so far by the processes `roots` and their descendants, or undefined
 * where /proc cannot be read (not Linux). Processes that ended are not counted: read it just
 * before and after the measured stretch, in which no browser process should end.
 */
export function treeCpuMs(roots: readonly number[]): number | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  const entries = names.map((d) => readProc(Number(d))).filter((e) => e !== undefined);
  const children = new Map<number, ProcEntry[]>();
  for (const e of entries) children.set(e.ppid, [...(children.get(e.ppid) ?? []), e]);
  const byPid = new Map(entries.map((e) => [e.pid, e]));
  let ticks = 0;
  const todo = roots.map((pid) => byPid.get(pid)).filter((e) => e !== undefined);
  if (todo.length === 0) return undefined;
  for (let e = todo.pop(); e !== undefined; e = todo.pop()) {
    ticks += e.ticks;
    todo.push(...(children.get(e.pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The pid of the Chromium started with `--user-data-dir=<dir>` (Playwright's persistent contexts). */
export function browserPidByProfile(dir: string): number | undefined {
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes(`--user-data-dir=${dir}`) && !cmd.includes('--type=')) return Number(d);
    }
  } catch {
    return undefined;
  }
  return undefined;
}
