import { chargedBytes, parseStat, ProcessTable } from '../../src/local/memory';

const stat = (pid: number, comm: string, ppid: number, pgrp: number, rssPages: number): string =>
  `${pid} (${comm}) S ${ppid} ${pgrp} ${pgrp} 0 -1 4194560 100 0 0 0 1 1 0 0 20 0 1 0 100 1000000 ${rssPages} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;

describe('the memory of an instance from /proc', () => {
  test('when a command name holds spaces and parentheses, then the fields after it are still found', () => {
    expect(parseStat(stat(42, 'node (a) b)', 7, 42, 300))).toEqual({ ppid: 7, pgrp: 42, rssPages: 300 });
  });

  test('when an instance has children, grandchildren and a re-parented member of its group, then all of them count and nothing else does', () => {
    const entries = new Map([
      [1, { ppid: 0, pgrp: 1, rssPages: 1000 }],
      [100, { ppid: 1, pgrp: 100, rssPages: 10 }], // the instance
      [101, { ppid: 100, pgrp: 100, rssPages: 20 }], // its child
      [102, { ppid: 101, pgrp: 102, rssPages: 30 }], // a grandchild in a group of its own
      [103, { ppid: 1, pgrp: 100, rssPages: 40 }], // its parent exited: re-parented, same group
      [104, { ppid: 103, pgrp: 104, rssPages: 50 }], // under the re-parented one
      [200, { ppid: 1, pgrp: 200, rssPages: 500 }], // another instance
    ]);
    const table = new ProcessTable(entries);
    expect([...(table.members(100) ?? [])].sort()).toEqual([100, 101, 102, 103, 104]);
    expect([...(table.members(200) ?? [])]).toEqual([200]);
    expect(table.members(300)).toBeUndefined();
    // A tree's size is its members' resident pages when their status cannot be read.
    expect(table.treeChargedBytes(100, () => undefined)).toBe((10 + 20 + 30 + 40 + 50) * 4096);
    expect(table.treeChargedBytes(200, () => undefined)).toBe(500 * 4096);
  });

  test("when the charged memory of a tree is read, then it is each member's anonymous and shared memory, file pages left out, and RSS for one whose status is gone", () => {
    const entries = new Map([
      [100, { ppid: 1, pgrp: 100, rssPages: 10_000 }],
      [101, { ppid: 100, pgrp: 100, rssPages: 20 }],
    ]);
    const status = (anonKb: number, fileKb: number, shmemKb: number): string =>
      `Name:\tnode\nVmRSS:\t${anonKb + fileKb + shmemKb} kB\nRssAnon:\t${anonKb} kB\nRssFile:\t${fileKb} kB\nRssShmem:\t${shmemKb} kB\n`;
    const table = new ProcessTable(entries);
    expect(table.treeChargedBytes(100, (pid) => (pid === 100 ? status(30_000, 35_000, 100) : status(2_000, 9_000, 0)))).toBe(
      (30_000 + 100 + 2_000) * 1024,
    );
    expect(table.treeChargedBytes(100, (pid) => (pid === 100 ? status(30_000, 35_000, 0) : undefined))).toBe(30_000 * 1024 + 20 * 4096);
    expect(table.treeChargedBytes(300, () => status(1, 1, 1))).toBeUndefined();
    expect(chargedBytes('Name:\tnode\nVmRSS:\t100 kB\n')).toBeUndefined(); // a kernel without RssAnon
  });
});
