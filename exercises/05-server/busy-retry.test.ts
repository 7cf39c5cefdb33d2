import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { after, describe, test } from "node:test";
import { startEchoServer, type EchoServer } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { echoWithRetry, GaveUpError } from "#exercise/05-server/busy-retry.js";

const servers: EchoServer[] = [];
const holders: Socket[] = [];
after(async () => {
  for (const holder of holders) holder.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

/** A server with one slot and no waiting room, and a client holding that slot. */
async function fullServer(): Promise<{ server: EchoServer; holder: Socket }> {
  const server = await within(startEchoServer({ poolSize: 1, maxWaiting: 0 }), "the echo server");
  servers.push(server);
  const holder = connect({ port: server.port, host: "127.0.0.1" });
  holders.push(holder);
  holder.write("holding\n");
  await within(new Promise((resolve) => holder.once("data", resolve)), "the holder's echo");
  return { server, holder };
}

describe("05.1 echoWithRetry", () => {
  test("a free server answers at the first try, with no delay", async () => {
    const server = await within(startEchoServer(), "the echo server");
    servers.push(server);
    const result = await within(echoWithRetry("hello", { port: server.port }), "echoWithRetry");
    assert.deepEqual(result, { answer: "hello", attempts: 1, delays: [] });
  });

  test("ERR busy is tried again after a growing, jittered delay, until the slot is free", async () => {
    const { server, holder } = await fullServer();
    const slept: number[] = [];
    const result = await within(
      echoWithRetry("my turn", {
        port: server.port,
        baseMs: 100,
        random: () => 0.5,
        sleep: async (ms) => {
          slept.push(ms);
          if (slept.length === 2) {
            holder.end(); // the slot frees up during the second wait
            while (server.stats().serving > 0) await sleep(5);
          }
        },
      }),
      "echoWithRetry on a busy server",
    );
    assert.deepEqual(result, { answer: "my turn", attempts: 3, delays: [50, 100] });
    assert.deepEqual(slept, [50, 100]);
    assert.equal(server.stats().refused, 2);
  });

  test("the delay's cap doubles up to maxMs; after the last try it gives up with GaveUpError", async () => {
    const { server } = await fullServer();
    const slept: number[] = [];
    const attempt = echoWithRetry("never", { port: server.port, attempts: 6, baseMs: 100, maxMs: 300, random: () => 0.999, sleep: async (ms) => void slept.push(ms) });
    const error = await within(attempt.then(() => undefined, (e: unknown) => e), "echoWithRetry to give up");
    assert.ok(error instanceof GaveUpError, `expected a GaveUpError, got ${String(error)}`);
    assert.equal(error.attempts, 6);
    assert.match(error.lastAnswer, /^ERR busy/);
    assert.deepEqual(slept.map(Math.round), [100, 200, 300, 300, 300]);
  });

  test("a refused connection is tried again too: the server may be restarting", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve)); // nothing listens there now
    const result = await within(
      echoWithRetry("back", {
        port,
        random: () => 0,
        sleep: async () => {
          servers.push(await startEchoServer({ port }));
        },
      }),
      "echoWithRetry across a restart",
    );
    assert.deepEqual(result, { answer: "back", attempts: 2, delays: [0] });
  });

  test("an answer that is not ERR busy is the result, even an error line", async () => {
    const server = await within(startEchoServer({ maxLineBytes: 4 }), "the echo server");
    servers.push(server);
    const result = await within(echoWithRetry("too long for it", { port: server.port }), "echoWithRetry");
    assert.deepEqual(result, { answer: "ERR line too long: more than 4 bytes", attempts: 1, delays: [] });
  });

  test("bad input is refused at the call", () => {
    assert.throws(() => echoWithRetry("x", { port: 1, attempts: 0 }), RangeError);
    assert.throws(() => echoWithRetry("x", { port: 1, attempts: 1.5 }), RangeError);
    assert.throws(() => echoWithRetry("x", { port: 1, baseMs: -1 }), RangeError);
    assert.throws(() => echoWithRetry("x", { port: 1, maxMs: -1 }), RangeError);
    assert.throws(() => echoWithRetry("two\nlines", { port: 1 }), TypeError);
  });
});
