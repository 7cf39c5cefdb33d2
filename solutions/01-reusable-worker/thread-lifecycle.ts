/**
 * Solution 01.3 · A worker with a thread's lifecycle
 *
 * The loop is the kit's `serve()`; what is added is the life around it: a
 * promise that exists only once `start()` made it, a flag that stops new
 * tasks after `stop()`, and a `join(timeoutMs)` that races that promise
 * against a timer it always clears.
 */
import { AsyncQueue, InvalidStateError, serve, STOP, type ErrorReporter, type Task } from "pools-by-hand";

/** Options for {@link ThreadLikeWorker}. */
export interface ThreadLikeWorkerOptions {
  /** Told about each task that throws or rejects. Defaults to `console.error`. */
  onError?: ErrorReporter | undefined;
}

/** A queue-fed worker that starts, stops and joins like a Python `Thread`. */
export class ThreadLikeWorker {
  #queue = new AsyncQueue<Task | typeof STOP>();
  #onError: ErrorReporter;
  /** The running (or finished) loop; undefined until start(). */
  #run: Promise<void> | undefined;
  #alive = false;
  #stopping = false;

  constructor({ onError = console.error }: ThreadLikeWorkerOptions = {}) {
    if (typeof onError !== "function") throw new TypeError(`onError must be a function, got ${String(onError)}`);
    this.#onError = onError;
  }

  /** Starts the loop. A second call throws, even after the loop has ended. */
  start(): void {
    if (this.#run) throw new InvalidStateError("threads can only be started once");
    this.#alive = true;
    this.#run = serve(this.#queue, this.#onError).then(() => {
      this.#alive = false;
    });
  }

  /** Queues a task; refused once `stop()` was called, since nothing after STOP ever runs. */
  applyAsync(task: Task): void {
    if (typeof task !== "function") throw new TypeError(`task must be a function, got ${String(task)}`);
    if (this.#stopping) throw new InvalidStateError("cannot add a task after stop()");
    this.#queue.putNowait(task);
  }

  /** Lets the tasks already queued finish, then ends the loop. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#queue.putNowait(STOP);
  }

  /** True from `start()` until the loop has ended. */
  isAlive(): boolean {
    return this.#alive;
  }

  /**
   * Resolves when the loop has ended, or after `timeoutMs`, whichever comes
   * first; either way with `undefined`, as Python's `join` returns `None`.
   */
  join(timeoutMs?: number): Promise<void> {
    if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs >= 0 && Number.isFinite(timeoutMs))) {
      throw new RangeError(`timeoutMs must be a finite number of milliseconds >= 0, got ${String(timeoutMs)}`);
    }
    if (!this.#run) throw new InvalidStateError("cannot join thread before it is started");
    if (timeoutMs === undefined) return this.#run;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    // Clearing the timer matters: a pending one would keep the process alive after the loop ended.
    return Promise.race([this.#run, timeUp]).finally(() => clearTimeout(timer));
  }
}
