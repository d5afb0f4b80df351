import type { Redis } from '@bundle/kit';

/**
 * The only module that knows the users app's Redis keys (all under `users:`):
 *   users:nickname:<lower>  -> id        the claim on a nickname, case-insensitive
 *   users:user:<id>         -> hash      id, nickname, display_name, created_at, password_hash
 *   users:index             -> zset      "<created ms, 15 digits>:<id>" at score 0, for paging by lex order
 */
const nicknameKey = (lower: string): string => `users:nickname:${lower}`;
const userKey = (id: string): string => `users:user:${id}`;
const INDEX_KEY = 'users:index';

export interface StoredUser {
  id: string;
  nickname: string;
  display_name: string;
  created_at: string;
}

export interface Credentials {
  id: string;
  nickname: string;
  password_hash: string;
}

export interface NewUser extends StoredUser {
  nicknameLower: string;
  password_hash: string;
}

/**
 * Claims the nickname and writes the user and its index entry in one script: Redis runs
 * it atomically, so two registrations racing for a nickname cannot both win, and the
 * check comes before any write, so a refused claim leaves nothing behind.
 */
const REGISTER = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'nickname', ARGV[2], 'display_name', ARGV[3], 'created_at', ARGV[4], 'password_hash', ARGV[5])
redis.call('ZADD', KEYS[3], 0, ARGV[6])
return 1
`;

/** Changes fields of a user that exists; never creates a partial hash for an unknown id. */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

const PUBLIC_FIELDS = ['id', 'nickname', 'display_name', 'created_at'] as const;

/** An opaque page cursor is the last index member seen; this is what one looks like. */
const INDEX_MEMBER = /^\d{15}:[0-9a-f-]{36}$/;

export function isIndexMember(value: string): boolean {
  return INDEX_MEMBER.test(value);
}

export function createUserStore(redis: Redis) {
  const publicUser = (values: Array<string | null>): StoredUser | undefined => {
    const [id, nickname, displayName, createdAt] = values;
    if (!id || !nickname || !createdAt) return undefined;
    return { id, nickname, display_name: displayName ?? nickname, created_at: createdAt };
  };

  return {
    async isNicknameTaken(lower: string): Promise<boolean> {
      return (await redis.exists(nicknameKey(lower))) === 1;
    },

    /** False when the nickname is already taken (nothing is written then). */
    async create(user: NewUser): Promise<boolean> {
      const member = `${String(Date.parse(user.created_at)).padStart(15, '0')}:${user.id}`;
      const keys = [nicknameKey(user.nicknameLower), userKey(user.id), INDEX_KEY];
      const args = [user.id, user.nickname, user.display_name, user.created_at, user.password_hash, member];
      return (await redis.eval(REGISTER, keys.length, ...keys, ...args)) === 1;
    },

    async findById(id: string): Promise<StoredUser | undefined> {
      return publicUser(await redis.hmget(userKey(id), ...PUBLIC_FIELDS));
    },

    async findCredentials(lower: string): Promise<Credentials | undefined> {
      const id = await redis.get(nicknameKey(lower));
      if (id === null) return undefined;
      const [nickname, hash] = await redis.hmget(userKey(id), 'nickname', 'password_hash');
      return nickname && hash ? { id, nickname, password_hash: hash } : undefined;
    },

    /** False when no such user exists. */
    async update(id: string, fields: { display_name: string }): Promise<boolean> {
      return (await redis.eval(UPDATE, 1, userKey(id), 'display_name', fields.display_name)) === 1;
    },

    /** Users in registration order after the cursor (an index member), plus the cursor of the next page. */
    async list(limit: number, after?: string): Promise<{ users: StoredUser[]; next?: string }> {
      const start = after === undefined ? '-' : `(${after}`;
      const members = await redis.zrangebylex(INDEX_KEY, start, '+', 'LIMIT', 0, limit + 1);
      const page = members.slice(0, limit);
      const pipeline = redis.pipeline();
      for (const member of page) pipeline.hmget(userKey(member.slice(16)), ...PUBLIC_FIELDS);
      const replies = (await pipeline.exec()) ?? [];
      const users: StoredUser[] = [];
      for (const [error, values] of replies) {
        if (error) throw error;
        const user = publicUser(values as Array<string | null>);
        if (user) users.push(user);
      }
      const last = page[page.length - 1];
      return members.length > limit && last !== undefined ? { users, next: last } : { users };
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
