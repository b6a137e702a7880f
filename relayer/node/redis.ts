/** The node's Redis connection: TLS for rediss://, an ACL user and a password read from a secret file or the environment. */
import { Redis } from 'ioredis';
import type { NodeConfig } from '../config/nodeConfig.js';
import { readSecret } from '../keystore/keystore.js';

export function connectRedis(config: Pick<NodeConfig, 'redisUrl' | 'redisAuth'>): Redis {
  const auth = config.redisAuth;
  // the same rules as the keystore password: a mode-600 file, or an env variable removed once read
  const password = auth ? readSecret(auth, 'Redis password') : undefined;
  // ioredis turns on TLS for rediss:// URLs by itself (server certificate checked against the system CAs)
  return new Redis(config.redisUrl, {
    username: auth?.username,
    password,
    maxRetriesPerRequest: null,
    lazyConnect: false,
  });
}
