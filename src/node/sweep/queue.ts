// Sweeps on BullMQ (Redis): one job per run, its id the run's id (so a run is queued once, and a finished
// run is never run again), retries with backoff, and workers that execute each job in a child process.
// A worker that dies leaves its job locked until the lock expires; another worker's stalled-job check then
// puts it back, and the run resumes from its folder's checkpoint.
import { Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { ServiceError, ValueError } from "../../errors.js";
import { crc32 } from "../../io/crc32.js";
import type { SweepRun } from "../../tasks/sweep/spec.js";
import { executeInChild, threadsPerRun } from "./child_protocol.js";
import type { RunResult } from "./execute.js";

/** The queue every sweep's jobs go to. */
const QUEUE_NAME = "snnkit-sweep";

/** What a job carries: the run, the absolute output directory, the checkpoint cadence. */
interface SweepJobData {
  run: SweepRun;
  out: string;
  checkpointEvery: number;
}

/**
 * A run's job id: its run id and a checksum of its output directory, so that the same settings swept into
 * another directory are another job, and the same sweep enqueued twice is not.
 */
function jobIdOf(run: SweepRun, out: string): string {
  return `${run.id}-${crc32(new TextEncoder().encode(out)).toString(16).padStart(8, "0")}`;
}

/** The state of a run: finished, being run, waiting for a worker, or failed after its retries. */
export type RunStatus = "waiting" | "active" | "completed" | "failed";

/** Host, port, database and credentials of a redis://[user:password@]host:port[/db] URL; a ValueError names --queue. */
function queueConnection(url: string): { host: string; port: number; db: number; username?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValueError("--queue", "a URL redis://HOST:PORT[/DB]", url);
  }
  if (u.protocol !== "redis:") throw new ValueError("--queue", "a redis:// URL", url);
  const port = u.port === "" ? 6379 : Number(u.port);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!(Number.isInteger(db) && db >= 0 && db <= 15)) throw new ValueError("--queue", "a database number in [0, 15] after the port", url);
  return { host: u.hostname, port, db, ...(u.username ? { username: decodeURIComponent(u.username) } : {}), ...(u.password ? { password: decodeURIComponent(u.password) } : {}) };
}

/**
 * Checks that the queue answers within `timeoutMs`; a ServiceError names the URL and the problem
 * (refused, unknown host, timeout, a Redis too old or not Redis), so nothing waits on a dead address.
 */
export async function checkQueue(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis({ ...queueConnection(url), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let last: Error | null = null;
  client.on("error", (e: Error) => (last = e));
  try {
    await client.connect();
    const info = await client.info("server");
    const version = /redis_version:(\d+)/.exec(info)?.[1];
    if (!version || Number(version) < 5) throw new ServiceError(url, `needs Redis 5 or later for BullMQ, found ${version ?? "an unknown server"}`);
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    const cause = (last as Error | null)?.message ?? (e as Error).message;
    throw new ServiceError(url, `cannot reach the queue (${cause}); start redis-server there, or check the address`);
  } finally {
    client.disconnect();
  }
}

/** BullMQ's connection options for a URL (no retry limit per request, as its workers require). */
function bullConnection(url: string) {
  return { ...queueConnection(url), maxRetriesPerRequest: null };
}

/**
 * Enqueues one job per run (its id: the run's and its directory's, up to 10 attempts with exponential backoff from 1 s; finished
 * and failed jobs are kept for the results). A run already queued, running or done is left as it is.
 * Returns how many were added and how many were there already.
 */
export async function enqueueRuns(url: string, runs: readonly SweepRun[], out: string, checkpointEvery: number): Promise<{ added: number; present: number }> {
  await checkQueue(url);
  const queue = new Queue<SweepJobData>(QUEUE_NAME, { connection: bullConnection(url) });
  try {
    let added = 0;
    for (const run of runs) {
      const jobId = jobIdOf(run, out);
      if (await queue.getJob(jobId)) continue;
      await queue.add(run.id, { run, out, checkpointEvery }, { jobId, attempts: 10, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: false, removeOnFail: false });
      added++;
    }
    return { added, present: runs.length - added };
  } finally {
    await queue.close();
  }
}

/** Each run's state in the queue (null: not in it). */
export async function queueStates(url: string, runs: readonly SweepRun[], out: string): Promise<Map<string, RunStatus | null>> {
  await checkQueue(url);
  const queue = new Queue<SweepJobData>(QUEUE_NAME, { connection: bullConnection(url) });
  try {
    const states = new Map<string, RunStatus | null>();
    for (const run of runs) {
      const job = await Job.fromId(queue, jobIdOf(run, out));
      const s = job ? await job.getState() : null;
      states.set(run.id, s === null || s === "unknown" ? null : s === "completed" || s === "failed" || s === "active" ? s : "waiting");
    }
    return states;
  } finally {
    await queue.close();
  }
}

/** Options of a worker. */
export interface WorkerOptions {
  /** Runs at once, each in its own child process (default 1). */
  concurrency?: number;
  /** Seconds a job stays locked to a worker that stops answering before another may take it (default 30). */
  lockSeconds?: number;
  /** A line per job started, finished or failed. */
  note?: (line: string) => void;
}

/**
 * Starts a worker on the queue: each job's run executes in a child process in the run's folder (resuming
 * from its checkpoint), and the job's return value is the run's result. Resolves once connected; close()
 * lets the running jobs finish (an idle worker closes at once).
 */
export async function startWorker(url: string, options: WorkerOptions = {}): Promise<{ close(): Promise<void> }> {
  const concurrency = options.concurrency ?? 1;
  const lockSeconds = options.lockSeconds ?? 30;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) throw new ValueError("--concurrency", "an integer in [1, 256]", concurrency);
  if (!(lockSeconds >= 1 && lockSeconds <= 86_400)) throw new ValueError("--lock-seconds", "a number of seconds in [1, 86400]", lockSeconds);
  await checkQueue(url);
  const note = options.note ?? (() => {});
  let active = 0;
  const worker = new Worker<SweepJobData, RunResult>(
    QUEUE_NAME,
    async (job) => {
      const id = job.data.run.id;
      active++;
      try {
        note(`${id}: started (attempt ${job.attemptsMade + 1})`);
        const result = await executeInChild({ run: job.data.run, out: job.data.out, checkpointEvery: job.data.checkpointEvery }, threadsPerRun(concurrency));
        note(`${id}: completed${result.resumed ? " (resumed from its checkpoint)" : ""}`);
        return result;
      } finally {
        active--;
      }
    },
    { connection: bullConnection(url), concurrency, lockDuration: lockSeconds * 1000, stalledInterval: (lockSeconds * 1000) / 2, maxStalledCount: 10 },
  );
  worker.on("failed", (job, e) => note(`${job?.data.run.id ?? "a job"}: failed (${e.message})`));
  worker.on("error", (e) => note(`worker: ${e.message}`));
  await worker.waitUntilReady();
  // Idle, it closes at once (also when Redis is gone); busy, it lets the running jobs finish.
  return { close: () => worker.close(active === 0) };
}
