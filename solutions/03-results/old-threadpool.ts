/**
 * Exercise 03.2 · the old `threadpool` module's API on the kit's Pool — a
 * reference solution.
 *
 * The Pool runs the calls and calls back on completion; this layer only holds
 * the results back in a queue until the caller asks for them with `poll()` or
 * `wait()`, which is where the old module ran its callbacks.
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

let lastID = 0;

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
    { requestID = ++lastID, callback = null, excCallback = handleThreadException }: WorkRequestOptions = {},
  ) {
    if (typeof fn !== "function") throw new TypeError(`fn must be a function, got ${inspect(fn)}`);
    if (!Array.isArray(args)) throw new TypeError(`args must be an array, got ${inspect(args)}`);
    this.requestID = requestID;
    this.callback = callback;
    this.excCallback = excCallback;
  }

  /** `<WorkRequest id=3 args=[ 1, 2 ] exception=false>` */
  toString(): string {
    return `<WorkRequest id=${String(this.requestID)} args=${inspect(this.args)} exception=${this.exception}>`;
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
  return [...argsList].map((item) => new WorkRequest(fn, Array.isArray(item) ? item : [item], { callback, excCallback }));
}

/** The old `threadpool.ThreadPool`, on the kit's {@link Pool}. */
export class ThreadPool {
  /** The requests put and not yet delivered, by id. */
  readonly workRequests = new Map<unknown, WorkRequest>();
  #pool: Pool;
  #results = new AsyncQueue<[WorkRequest, Outcome<unknown>]>();

  constructor(numWorkers: number) {
    this.#pool = new Pool(numWorkers);
  }

  /** Queues a request; its result waits for `poll()`. */
  putRequest(request: WorkRequest): void {
    if (!(request instanceof WorkRequest)) throw new TypeError(`putRequest needs a WorkRequest, got ${inspect(request)}`);
    if (request.exception) throw new InvalidStateError(`${request} failed before; make a new request`);
    this.#pool.applyAsync(request.fn, [...request.args], {
      callback: (value) => this.#results.putNowait([request, { ok: true, value }]),
      errorCallback: (error) => {
        request.exception = true;
        this.#results.putNowait([request, { ok: false, error }]);
      },
    });
    // Registered after applyAsync, which may throw; its callbacks never run before this line.
    this.workRequests.set(request.requestID, request);
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
    if (block) return this.#pollUntilAllDelivered();
    for (;;) {
      if (this.workRequests.size === 0) throw new NoResultsPending();
      let arrived: [WorkRequest, Outcome<unknown>];
      try {
        arrived = this.#results.getNowait();
      } catch (error) {
        if (error instanceof QueueEmpty) return;
        throw error;
      }
      this.#deliver(arrived);
    }
  }

  /** Delivers every outstanding result, then resolves. */
  async wait(): Promise<void> {
    try {
      await this.poll(true);
    } catch (error) {
      if (!(error instanceof NoResultsPending)) throw error;
    }
  }

  async #pollUntilAllDelivered(): Promise<never> {
    for (;;) {
      if (this.workRequests.size === 0) throw new NoResultsPending();
      this.#deliver(await this.#results.get());
    }
  }

  #deliver([request, outcome]: [WorkRequest, Outcome<unknown>]): void {
    // Forget the request first, so a callback that throws leaves nothing behind that wait() would wait for.
    this.workRequests.delete(request.requestID);
    if (!outcome.ok && request.excCallback) request.excCallback(request, outcome.error);
    else request.callback?.(request, outcome.ok ? outcome.value : outcome.error);
  }
}
