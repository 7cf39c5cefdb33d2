/**
 * Exercise 03.2 · the old `threadpool` module's API on the kit's Pool
 *
 * Seed 000 sums 1 to 10^8 twice: with the third-party `threadpool` module
 * (`makeRequests`, `putRequest`, `wait`, and a callback that receives the
 * *request* and the result) and with `multiprocessing.Pool` (`apply_async`,
 * and a callback that receives only the result). Rebuild the old module's API
 * on the kit's `Pool`, so seed 000's first program runs almost unchanged.
 *
 * The difference that matters is *when* callbacks run. The Pool calls back as
 * soon as a call finishes; the old module ran callbacks only when the caller
 * asked, inside `poll()` or `wait()` (python-semantics item 129). So take the
 * Pool's callbacks, keep each `[request, outcome]` in a queue — the kit's
 * `AsyncQueue` from chapter 01 fits — and deliver them from there.
 *
 * Build, following python-semantics items 126-133:
 * - `WorkRequest(fn, args = [], { requestID, callback, excCallback })`:
 *   `requestID` a fresh value by default; `callback` null by default;
 *   `excCallback` {@link handleThreadException} by default; `exception` false
 *   until the call throws; `toString()` gives
 *   `<WorkRequest id=… args=… exception=false>`.
 * - `makeRequests(fn, argsList, callback?, excCallback?)`: one request per
 *   item; an array item is the argument list, any other value the single
 *   argument (Python's `(args, kwds)` pairs: JavaScript has no keyword
 *   arguments).
 * - `ThreadPool(numWorkers)`: `putRequest(request)` (refuses anything but a
 *   `WorkRequest`, and a request that failed before: InvalidStateError);
 *   `workRequests`, the requests put and not yet delivered, by id;
 *   `poll(block = false)` delivers the results that have arrived, in arrival
 *   order: `excCallback(request, error)` for a failure if there is one,
 *   otherwise `callback(request, result)` (with `excCallback` null, the
 *   callback receives the error as its result — the old module's quirk).
 *   Without `block` it returns when nothing more has arrived; `poll(true)`
 *   waits. Either way it throws `NoResultsPending` when no request is left
 *   undelivered — on a fresh pool, and right after delivering the last one.
 *   `wait()` delivers everything, then resolves.
 * - One change from Python, on purpose: a callback that throws makes `poll()`
 *   or `wait()` throw its error, but its request is no longer outstanding, so
 *   a later `wait()` still finishes (Python's request stayed listed, and the
 *   next `wait()` blocked forever).
 *
 * Left out: `dismissWorkers`, `createWorkers` and `NoWorkersAvailable` (items
 * 132-134: the Pool has a fixed size), and the bounded request and result
 * queues (item 128). Like Python's daemon threads, the workers need no
 * shutdown: event-loop workers hold nothing open.
 *
 * Run `npm run exercise -- 03.2` to test, `npm run hint -- 03.2` if stuck.
 */
import { inspect } from "node:util";
import { AsyncQueue, InvalidStateError, Pool, QueueEmpty, type Outcome } from "pools-by-hand";

/** Thrown by `poll()` when every request put so far has been delivered. */
export class NoResultsPending extends Error {
  override name = "NoResultsPending";
  constructor(message = "no results pending: every request put has been delivered") {
    super(message);
  }
}

/** Told about a request's value: `callback(request, result)`. */
export type ResultCallback = (request: WorkRequest, result: any) => unknown;
/** Told about a request's error: `excCallback(request, error)`. */
export type ExcCallback = (request: WorkRequest, error: unknown) => unknown;

/** The old module's default `exc_callback`: prints the error. */
export function handleThreadException(request: WorkRequest, error: unknown): void {
  console.error(`exception in ${request}:`, error);
}

/** Options of a {@link WorkRequest}. */
export interface WorkRequestOptions {
  /** Any value that tells requests apart; a fresh number by default. */
  requestID?: unknown;
  /** `callback(request, result)`, or null for none. */
  callback?: ResultCallback | null;
  /** `excCallback(request, error)`; null sends errors to `callback`. */
  excCallback?: ExcCallback | null;
}

/** One call to make: `fn(...args)`, with the callbacks told about it. */
export class WorkRequest {
  readonly requestID: unknown;
  readonly callback: ResultCallback | null;
  readonly excCallback: ExcCallback | null;
  /** Set once the call has thrown. */
  exception = false;

  constructor(
    readonly fn: (...args: any[]) => unknown,
    readonly args: readonly unknown[] = [],
    options: WorkRequestOptions = {},
  ) {
    throw new Error("TODO(03.2): check fn and args; keep the id (or a fresh one) and the callbacks, with their defaults");
  }

  /** `<WorkRequest id=3 args=[ 1, 2 ] exception=false>` */
  toString(): string {
    throw new Error("TODO(03.2): WorkRequest.toString()");
  }
}

/**
 * One request per item of `argsList`: an array item is the list of arguments,
 * any other value the single argument.
 */
export function makeRequests(
  fn: (...args: any[]) => unknown,
  argsList: Iterable<unknown>,
  callback: ResultCallback | null = null,
  excCallback: ExcCallback | null = handleThreadException,
): WorkRequest[] {
  throw new Error("TODO(03.2): makeRequests()");
}

/** The old `threadpool.ThreadPool`, on the kit's {@link Pool}. */
export class ThreadPool {
  /** The requests put and not yet delivered, by id. */
  readonly workRequests = new Map<unknown, WorkRequest>();

  constructor(numWorkers: number) {
    throw new Error("TODO(03.2): a Pool of numWorkers, and a queue for the results that have arrived");
  }

  /** Queues a request; its result waits for `poll()`. */
  putRequest(request: WorkRequest): void {
    throw new Error("TODO(03.2): ThreadPool.putRequest()");
  }

  /**
   * Delivers the results that have arrived to their callbacks, here, in the
   * order they arrived. Without `block`, returns once none is waiting; with
   * it, waits for them all. Either way it throws {@link NoResultsPending}
   * once every request has been delivered.
   */
  poll(block?: false): void;
  poll(block: true): Promise<never>;
  poll(block = false): void | Promise<never> {
    throw new Error("TODO(03.2): ThreadPool.poll()");
  }

  /** Delivers every outstanding result, then resolves. */
  async wait(): Promise<void> {
    throw new Error("TODO(03.2): ThreadPool.wait()");
  }
}

// Imported for you; each has a part to play above.
void [inspect, AsyncQueue, InvalidStateError, Pool, QueueEmpty];
export type { Outcome };
