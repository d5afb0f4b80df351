const { shortfalls } = require('../../coverage') as {
  shortfalls(summary: Record<string, { pct: number }>, threshold: Record<string, number>): string[];
};

const summary = (statements: number, branches: number, functions: number, lines: number) => ({
  statements: { pct: statements },
  branches: { pct: branches },
  functions: { pct: functions },
  lines: { pct: lines },
});

describe("the coverage environment's check", () => {
  test('when every kind is at or above its threshold, then nothing fails', () => {
    expect(shortfalls(summary(82, 72, 80, 85), { statements: 82, branches: 72, functions: 80, lines: 85 })).toEqual([]);
  });

  test('when a kind is under its threshold, then one line names it, its figure and the threshold; kinds without one are not checked', () => {
    expect(shortfalls(summary(90, 71.9, 50, 84), { statements: 82, branches: 72, lines: 85 })).toEqual([
      'branches 71.9% is under 72%',
      'lines 84% is under 85%',
    ]);
  });
});
