/**
 * Where a connection string comes from, and how the kit connects, so that a
 * wrong address fails in seconds with a message that says what was tried.
 */
import pg from "pg";

/**
 * How long any connection attempt may take. node-postgres waits forever by
 * default: a wrong host or a firewalled port would hang a pool silently.
 *
 * @example
 * ```ts
 * new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
 * ```
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The connection string given, else `DATABASE_URL`.
 *
 * @throws TypeError when neither is there, or the string is not a
 *   `postgres://` or `postgresql://` URL.
 * @example
 * ```ts
 * resolveConnectionString(undefined); // process.env.DATABASE_URL
 * ```
 */
export function resolveConnectionString(explicit: unknown): string {
  const connectionString = explicit ?? process.env.DATABASE_URL;
  if (connectionString === undefined || connectionString === "") {
    throw new TypeError("no database to connect to: pass a connection string (connectionString, or --db) or set DATABASE_URL");
  }
  if (typeof connectionString !== "string") throw new TypeError(`connectionString must be a string, got ${typeof connectionString}`);
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new TypeError(`connectionString must be a postgres:// URL, got ${JSON.stringify(redact(connectionString))}`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new TypeError(`connectionString must be a postgres:// URL, got ${JSON.stringify(redact(connectionString))}`);
  }
  return connectionString;
}

/**
 * The connection string with its password hidden, for messages.
 *
 * @example
 * ```ts
 * redact("postgres://u:secret@db:5432/app"); // "postgres://u:***@db:5432/app"
 * ```
 */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "<a connection string that is not a URL>";
  }
}

/**
 * The error of a failed connection attempt, saying where it went.
 *
 * @example
 * ```ts
 * throw connectFailure(error, url); // Could not connect to Postgres at postgres://u:***@…: timeout expired
 * ```
 */
export function connectFailure(error: unknown, connectionString: string): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`could not connect to Postgres at ${redact(connectionString)}: ${reason}`, { cause: error });
}

/**
 * A pg connection pool with a connect timeout. A connection that breaks (the
 * server restarts) emits `error` on its client, and on the pool when it was
 * idle; unhandled, that event would crash the process, so both are handled:
 * the query in flight fails by itself and the pool opens a new connection.
 * `options` are server settings for every session, such as
 * `-c synchronous_commit=off`.
 *
 * @example
 * ```ts
 * const db = createPgPool(url, 4);
 * await db.query("select 1");
 * await db.end();
 * ```
 */
export function createPgPool(connectionString: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...(options ? { options } : {}) });
  pool.on("error", (error) => console.error(`[pools-by-hand] an idle database connection failed: ${error.message}`));
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`[pools-by-hand] a database connection failed: ${error.message}`));
  });
  return pool;
}

/**
 * One connection of its own (LISTEN needs one: it belongs to a session).
 *
 * @throws Error naming the (redacted) address when it cannot connect.
 * @example
 * ```ts
 * const client = await connectClient(url);
 * await client.query("LISTEN jobs");
 * ```
 */
export async function connectClient(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectFailure(error, connectionString);
  }
  return client;
}
