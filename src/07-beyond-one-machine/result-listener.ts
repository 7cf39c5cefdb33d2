import type pg from "pg";
import { connectClient } from "./connection.js";
import { pause } from "./deadline.js";
import type { ResultMessage } from "./results.js";

/**
 * The caller's LISTEN connection to its results channel. LISTEN belongs to one
 * session, so it has a connection of its own. If the connection breaks, it
 * connects again every second and then calls `onReconnect`: the results that
 * arrived meanwhile are rows in the results table, and the caller goes and
 * reads them.
 *
 * @example
 * ```ts
 * const listener = await listenForResults(url, resultChannel(poolId), settle, sweep);
 * // …
 * await listener.close();
 * ```
 */
export async function listenForResults(
  connectionString: string,
  channel: string,
  onMessage: (message: ResultMessage) => void,
  onReconnect: () => void,
): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closed = false;

  const connect = async (): Promise<void> => {
    const next = await connectClient(connectionString);
    next.on("notification", ({ payload }) => onMessage(JSON.parse(payload as string) as ResultMessage));
    let lost = false;
    const onLost = () => {
      if (lost || closed) return;
      lost = true;
      client = undefined;
      void reconnect();
    };
    next.on("error", onLost);
    next.on("end", onLost);
    await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
    if (closed) await next.end();
    else client = next;
  };

  const reconnect = async (): Promise<void> => {
    while (!closed) {
      await pause(1_000);
      if (closed) return;
      try {
        await connect();
        onReconnect();
        return;
      } catch (error) {
        console.error(`[pools-by-hand] results connection: ${error instanceof Error ? error.message : String(error)}; trying again`);
      }
    }
  };

  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
