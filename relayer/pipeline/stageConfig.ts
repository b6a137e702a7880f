/**
 * The pipeline's fixed timings and sizes, in one place (what an operator tunes is in the node config).
 */
import type { StageName } from './queues.js';

/** Longest wait for one chain call before the job fails and is retried. */
export const CHAIN_CALL_TIMEOUT_MS = 60_000;
/** Shortest pause between two looks at a delivery that is in but not final yet. */
export const FINALITY_POLL_MS = 200;
/** A delivery transaction still unknown to its chain after this long is treated as dropped. */
export const PENDING_LIMIT_MS = 120_000;
/** Most messages one verify job carries. */
export const VERIFY_GROUP = 64;
/** Pause before a sign job asks again when peers had not verified its messages yet. */
export const NOT_READY_RETRY_MS = 150;
/**
 * While messages of a burst are still arriving, a sign job waits ACCUMULATE_QUIET_MS so one session and one
 * delivery carry more of them, never past ACCUMULATE_MAX_MS after the oldest one was verified.
 */
export const ACCUMULATE_QUIET_MS = 60;
export const ACCUMULATE_MAX_MS = 400;
/** A coordinator at work is deferred to for at most this many slots, so a stalling one cannot hold a key forever. */
export const MAX_DEFER_SLOTS = 5;
/** Jobs a node's worker runs at once, per stage and destination chain. */
export const WORKER_CONCURRENCY: Record<StageName, number> = { verify: 16, sign: 4, deliver: 1, confirm: 8 };
