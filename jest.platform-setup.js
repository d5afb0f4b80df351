/* global jest */
// Platform tests start real processes: hooks and tests get two minutes, not jest's 5 s
// (a project's testTimeout does not reach beforeAll/afterAll hooks in every jest version).
jest.setTimeout(120_000);
