import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/<pid>/stat gives it: who started it, its group, its resident pages. */
interface ProcessEntry {
  ppid: number;
  pgrp: number;
  rssPages: number;
}

/** Linux's page size on the platforms Node runs on here (x86-64, arm64 with 4 KiB pages). */
const PAGE_BYTES = 4096;

/** Processes read between two turns of the event loop (the router's requests wait for none longer than that). */
const BATCH = 32;

/**
 * Every process on the machine (Linux /proc), read once per sample for all instances: a
 * process tree is found through parent ids, which only a full scan gives. Synchronous reads
 * of /proc cost a tenth of the CPU of asynchronous ones (about 4 ms for 150 processes, where
 * the thread pool took 40), so they are read in small batches with the event loop let run
 * in between. Undefined where there is no /proc (the memory quota is then not enforced).
 */
export async function readProcessTable(): Promise<ProcessTable | undefined> {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const entries = new Map<number, ProcessEntry>();
  for (let start = 0; start < names.length; start += BATCH) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const name of names.slice(start, start + BATCH)) {
      try {
        const entry = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
        if (entry) entries.set(Number(name), entry);
      } catch {
        // it exited while we looked
      }
    }
  }
  return new ProcessTable(entries);
}

/** `pid (comm) state ppid pgrp ... rss ...`: comm may hold spaces and parentheses, so fields count from its last ')'. */
export function parseStat(text: string): ProcessEntry | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After comm: state is field 3 of proc(5), so field n is fields[n - 3].
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  const rssPages = Number(fields[21]);
  return Number.isInteger(ppid) && Number.isInteger(pgrp) && Number.isInteger(rssPages) ? { ppid, pgrp, rssPages } : undefined;
}

export class ProcessTable {
  private readonly children = new Map<number, number[]>();

  constructor(readonly entries: Map<number, ProcessEntry>) {
    for (const [pid, entry] of entries) {
      const siblings = this.children.get(entry.ppid);
      if (siblings) siblings.push(pid);
      else this.children.set(entry.ppid, [pid]);
    }
  }

  /**
   * A process and everything under it: its descendants, and any process still in its
   * process group (a grandchild whose parent exited is re-parented, but keeps the group).
   */
  members(root: number): Set<number> | undefined {
    if (!this.entries.has(root)) return undefined;
    const members = new Set<number>([root]);
    for (const [pid, entry] of this.entries) if (entry.pgrp === root) members.add(pid);
    const queue = [...members];
    while (queue.length > 0) {
      for (const child of this.children.get(queue.pop() as number) ?? []) {
        if (!members.has(child)) {
          members.add(child);
          queue.push(child);
        }
      }
    }
    return members;
  }

  /**
   * What a container's memory cgroup holds against its limit for the same processes: their
   * anonymous and shared-memory pages. File pages (the node binary's own, about 35 MB for a
   * bare node) are left out: the kernel drops them before it kills anything, so an
   * instance is not killed for them on a cell either (bench/push measured it in a cgroup).
   * A process whose status cannot be read counts with its whole RSS.
   */
  treeChargedBytes(root: number, readStatus: (pid: number) => string | undefined = readProcStatus): number | undefined {
    const members = this.members(root);
    if (!members) return undefined;
    let bytes = 0;
    for (const pid of members) {
      const charged = chargedBytes(readStatus(pid));
      bytes += charged ?? (this.entries.get(pid)?.rssPages ?? 0) * PAGE_BYTES;
    }
    return bytes;
  }
}

function readProcStatus(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined; // it exited while we looked
  }
}

/** RssAnon + RssShmem of a /proc/<pid>/status (kB), in bytes; undefined when absent (kernels before 4.5). */
export function chargedBytes(status: string | undefined): number | undefined {
  const kb = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status ?? '');
    return match ? Number(match[1]) : undefined;
  };
  const anon = kb('RssAnon');
  const shmem = kb('RssShmem');
  return anon === undefined || shmem === undefined ? undefined : (anon + shmem) * 1024;
}

export const MB = 1024 * 1024;
