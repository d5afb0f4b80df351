import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './throwaway-repo';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/<name> asynchronously (a stub server in the test's process must keep answering meanwhile). */
export function script(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'scripts', name), args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The non-empty lines of a script's output. */
export const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
