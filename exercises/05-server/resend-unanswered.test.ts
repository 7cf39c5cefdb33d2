import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, describe, test } from "node:test";
import { startEchoServer, type EchoServer } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { ConnectionLostError, sendAll } from "#exercise/05-server/resend-unanswered.js";

const servers: EchoServer[] = [];
const sockets: Socket[] = [];
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

async function server(options: object = {}): Promise<EchoServer> {
  const started = await within(startEchoServer(options), "an echo server");
  servers.push(started);
  return started;
}

const manyLines = (count: number) => Array.from({ length: count }, (_, i) => `line ${i} ${"·".repeat(i % 40)}`);

describe("05.2 sendAll", () => {
  test("one server, no trouble: every answer in order, on one connection", async () => {
    const echo = await server();
    const lines = manyLines(500);
    const result = await within(sendAll(lines, { port: echo.port }), "sendAll");
    assert.deepEqual(result, { answers: lines, connections: 1, resent: 0 });
  });

  test("a graceful restart in the middle: every line answered exactly once, by one server or the other", async () => {
    const first = await server({ poolSize: 4 });
    const lines = manyLines(3000);
    const sending = sendAll(lines, { port: first.port, window: 16 });
    await within((async () => { while (first.stats().linesAnswered < 500) await sleep(2); })(), "500 answers from the first server");
    await within(first.close(), "the first server's graceful close");
    const second = await server({ port: first.port }); // the restarted server, same port
    const result = await within(sending, "sendAll across the restart", 10_000);
    assert.deepEqual(result.answers, lines, "every answer, in order");
    assert.equal(result.connections, 2);
    assert.ok(result.resent <= 16, `at most a window of lines is resent, got ${result.resent}`);
    await within(second.close(), "the second server's close");
    assert.equal(first.stats().linesAnswered + second.stats().linesAnswered, 3000, "no line answered twice, none lost");
    assert.equal(first.stats().linesAnswered, first.stats().linesReceived);
  });

  test("ERR shutting down, sent to a client still waiting for a slot, is not an answer", async () => {
    const first = await server({ poolSize: 1, maxWaiting: 4 });
    const holder = connect({ port: first.port, host: "127.0.0.1" });
    sockets.push(holder);
    holder.on("error", () => {});
    holder.write("holding the only slot\n");
    await within(new Promise((resolve) => holder.once("data", resolve)), "the holder's echo");
    const lines = manyLines(50);
    const sending = sendAll(lines, { port: first.port });
    await within((async () => { while (first.stats().waiting < 1) await sleep(2); })(), "sendAll to wait for a slot");
    await within(first.close(), "the first server's close");
    await server({ port: first.port });
    const result = await within(sending, "sendAll across the restart", 10_000);
    assert.deepEqual(result.answers, lines);
    assert.equal(result.connections, 2);
  });

  test("no server comes back: it gives up after reconnectAttempts tries, saying how far it got", async () => {
    const echo = await server();
    const port = echo.port;
    await within(echo.close(), "close()");
    const error = await within(
      sendAll(["a", "b"], { port, reconnectAttempts: 3, reconnectDelayMs: 5 }).then(() => undefined, (e: unknown) => e),
      "sendAll to give up",
    );
    assert.ok(error instanceof ConnectionLostError, `expected a ConnectionLostError, got ${String(error)}`);
    assert.equal(error.answered, 0);
    assert.equal(error.total, 2);
  });

  test("nothing to send resolves at once; bad input is refused at the call", async () => {
    assert.deepEqual(await within(sendAll([], { port: 9 }), "sendAll([])"), { answers: [], connections: 0, resent: 0 });
    assert.throws(() => sendAll(["two\nlines"], { port: 9 }), TypeError);
    assert.throws(() => sendAll("abc" as unknown as string[], { port: 9 }), TypeError);
    assert.throws(() => sendAll(["a"], { port: 9, window: 0 }), RangeError);
    assert.throws(() => sendAll(["a"], { port: 9, reconnectAttempts: 0 }), RangeError);
  });
});
