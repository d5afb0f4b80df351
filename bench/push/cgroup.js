// A memory cgroup with the manifest's memory limit around a server, as the platform runs an
// instance: the kernel counts what the process's memory costs the machine (its anonymous
// memory, and the page cache it brings in) and kills it when what it cannot reclaim passes
// the limit. RSS counts the node binary's own file pages too (about 35 MB for a bare node
// here), which the kernel drops before it kills anything; the cgroup's own figures are
// what decides whether an instance fits its `memory:`.
//
// The server runs a copy of node of its own, as an instance runs the one in its droplet:
// the pages of a binary are charged to the cgroup that first reads them, and the machine's
// node is already in memory for the bench's other processes.
//
// Needs a writable cgroup v1 memory hierarchy (/sys/fs/cgroup/memory, as root); elsewhere
// `memoryCgroup` returns undefined and the bench reports RSS alone.
'use strict';
const { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const V1 = '/sys/fs/cgroup/memory';

/**
 * A fresh cgroup limited to `limitBytes`, or undefined when this machine cannot make one.
 * `command(argv)` is the argv that starts the program inside it.
 */
function memoryCgroup(name, limitBytes) {
  const path = join(V1, `bench-push-${name}-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(path);
    writeFileSync(join(path, 'memory.limit_in_bytes'), String(limitBytes));
  } catch {
    return undefined;
  }
  const read = (file) => readFileSync(join(path, file), 'utf8');
  const nodeDir = mkdtempSync(join(tmpdir(), 'bench-push-node-'));
  const node = join(nodeDir, 'node');
  copyFileSync(process.execPath, node);
  return {
    limitBytes,
    /**
     * Runs `node script` inside the cgroup, on the cgroup's own copy of node: the shell puts
     * itself in the cgroup, then becomes node (the child's pid is node's).
     */
    command: (script) => ['/bin/sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', path, node, script]],
    /** Peak charged memory since the cgroup was made (MB). */
    peakMb: () => Number(read('memory.max_usage_in_bytes')) / 1024 / 1024,
    /** Anonymous memory charged now (MB): the heap, native allocations, stacks; no file pages. */
    anonMb: () => Number(/^rss (\d+)$/m.exec(read('memory.stat'))?.[1] ?? NaN) / 1024 / 1024,
    /** Processes the kernel killed for passing the limit. */
    oomKills: () => Number(/oom_kill (\d+)/.exec(read('memory.oom_control'))?.[1] ?? 0),
    remove() {
      rmSync(nodeDir, { recursive: true, force: true });
      try {
        if (existsSync(path)) rmdirSync(path);
      } catch {
        // Still has a task (a server that would not die): left for the machine's owner.
      }
    },
  };
}

module.exports = { memoryCgroup };
