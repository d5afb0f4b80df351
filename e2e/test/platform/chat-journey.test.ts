import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { buildAll, startChat, WEB_APPS, type Chat } from './chat-apps';
import { EventStream, type ReceivedEvent } from './event-stream';

/**
 * The chat end to end (issue 3, "Tests"): users, tokens, messages (web and worker), push
 * and ui built from this tree and run as real processes in one process group, talking
 * over HTTP on 127.0.0.1 and through one Redis, exactly as they would behind a router.
 */

interface Account {
  nickname: string;
  password: string;
  id?: string;
  token?: string;
}

interface Message {
  id: string;
  text: string;
  author: { id: string; nickname: string };
  created_at: string;
}

let chat: Chat | undefined;
let clientDir: string | undefined;
const streams: EventStream[] = [];
const suffix = randomBytes(4).toString('hex');
const ann: Account = { nickname: `ann_${suffix}`, password: `pw-${randomBytes(9).toString('base64url')}` };
const bob: Account = { nickname: `bob_${suffix}`, password: `pw-${randomBytes(9).toString('base64url')}` };

beforeAll(async () => {
  clientDir = mkdtempSync(join(tmpdir(), 'chat-journey-client-'));
  buildAll(clientDir);
  chat = await startChat({ redisUrl: await allocateTestDatabase(), clientDir });
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await chat?.group.stop();
  if (clientDir) rmSync(clientDir, { recursive: true, force: true });
});

function running(): Chat {
  if (!chat) throw new Error('the apps did not start (see beforeAll)');
  return chat;
}

async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  const response = await fetch(url, { ...init, headers, body: init.json === undefined ? init.body : JSON.stringify(init.json) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function register(account: Account): Promise<void> {
  const reply = await call(`${running().url.users}/api/users`, {
    method: 'POST',
    json: { nickname: account.nickname, password: account.password },
  });
  expect(reply).toMatchObject({ status: 201, body: { nickname: account.nickname } });
  expect(reply.body).not.toHaveProperty('password');
  account.id = reply.body.id as string;
}

async function logIn(account: Account): Promise<void> {
  const basic = Buffer.from(`${account.nickname}:${account.password}`).toString('base64');
  const reply = await call(`${running().url.tokens}/api/tokens`, { method: 'POST', headers: { Authorization: `Basic ${basic}` } });
  expect(reply).toMatchObject({ status: 200, body: { token_type: expect.stringMatching(/^bearer$/i), access_token: expect.any(String) } });
  account.token = reply.body.access_token as string;
}

async function post(account: Account, text: string): Promise<Message> {
  const reply = await call(`${running().url.messages}/api/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${account.token}` },
    json: { text },
  });
  expect(reply).toMatchObject({ status: 201, body: { text, author: { id: account.id, nickname: account.nickname } } });
  return reply.body as unknown as Message;
}

async function open(account: Account, lastEventId?: string): Promise<EventStream> {
  const stream = await EventStream.open(running().url.push, account.token ?? '', { lastEventId });
  streams.push(stream);
  return stream;
}

const carrying = (message: Message) => (event: ReceivedEvent) => event.name === 'message.created' && event.data.payload.id === message.id;

/** Stream ids ("<ms>-<seq>") in numeric order. */
function idOrder(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  return aMs !== bMs ? (aMs! < bMs! ? -1 : 1) : aSeq === bSeq ? 0 : aSeq! < bSeq! ? -1 : 1;
}

/** Runs a step; when it fails, the failure carries the tail of every app's output. */
async function withAppOutput(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof Error && chat) error.message += `\n\nApp output (last lines):\n${chat.group.tails()}`;
    throw error;
  }
}

describe('the chat, five apps in one process group', () => {
  test('when two users chat and one reconnects with Last-Event-ID, then it receives exactly the messages it missed, in order, then live ones', () =>
    withAppOutput(async () => {
      await register(ann);
      await register(bob);
      await logIn(ann);
      await logIn(bob);
      const annStream = await open(ann);
      const bobStream = await open(bob);

      const first = await post(ann, `hello ${bob.nickname}, <b>not bold</b> & "quoted"`);
      const received = await bobStream.waitFor("the first message on bob's stream", carrying(first));
      await annStream.waitFor("the first message on ann's own stream", carrying(first));
      expect(received.data).toEqual({ name: 'message.created', time: expect.any(String), payload: first, request_id: expect.any(String) });
      expect(bobStream.named('message.created').map((event) => event.data.payload)).toEqual([first]);

      // Bob drops his stream; the last event he received is where he resumes.
      const lastSeen = bobStream.events.at(-1)!.id;
      bobStream.close();
      const second = await post(ann, 'second, while bob is away');
      const third = await post(ann, 'third, while bob is away');

      const resumed = await open(bob, lastSeen);
      await resumed.waitFor('the third message after resuming', carrying(third));
      const fourth = await post(ann, 'fourth, live');
      await resumed.waitFor('the fourth message, live', carrying(fourth));

      const messages = resumed.named('message.created');
      expect(messages.map((event) => event.data.payload)).toEqual([second, third, fourth]);
      expect(messages.every((event) => idOrder(event.id, lastSeen) > 0)).toBe(true);
      expect(messages.map((event) => event.id)).toEqual([...messages.map((event) => event.id)].sort(idOrder));
      // Each stream answered once: no silent reconnect by the package hid a gap.
      expect([annStream.opens, bobStream.opens, resumed.opens]).toEqual([1, 1, 1]);
      expect(annStream.named('message.created').map((event) => event.data.payload)).toEqual([first, second, third, fourth]);
    }));

  test('when the group gets SIGTERM, then every process exits 0, wrote only JSON lines without secrets, and none is left', async () => {
    const { group, secrets: appSecrets } = running();
    // Streams stay open: on SIGTERM push ends them itself, as it must for clients to move on.
    await group.stop();
    for (const stream of streams) stream.close();

    const secrets = [...appSecrets, ann.password, bob.password, ann.token, bob.token].filter(
      (value): value is string => value !== undefined,
    );
    const report = [...group.members.values()].map((member) => ({
      name: member.spec.name,
      exit: member.exit,
      lines: member.stdout.length > 0,
      notJson: member.stdout.filter((line) => !isJsonObject(line)),
      withSecrets: [...member.stdout, ...member.stderr].filter((line) => secrets.some((secret) => line.includes(secret))).length,
    }));
    const expected = [...WEB_APPS, 'messages-worker']
      .sort()
      .map((name) => ({ name, exit: { code: 0, signal: null }, lines: true, notJson: [], withSecrets: 0 }));
    try {
      expect(report.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected);
      expect(group.alive()).toBe(false);
    } catch (error) {
      if (error instanceof Error) error.message += `\n\nApp output (last lines):\n${group.tails()}`;
      throw error;
    }
  });
});

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
