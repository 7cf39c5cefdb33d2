import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, describe, test } from "node:test";
import { within } from "../../testkit/index.js";
import { formatLoadReport, runLoad, startEchoServer, type LoadReport } from "./index.js";

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** A TCP server that treats each connection with `handle`; resolves to its port. */
async function rawServer(handle: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    socket.on("error", () => {});
    socket.resume(); // read, so a client's FIN is seen and the socket closes
    handle(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

function load(port: number, options: object = {}): Promise<LoadReport> {
  return within(runLoad({ port, clients: 2, lines: 5, timeoutMs: 3000, ...options }), "the load run", 5000);
}

describe("runLoad", () => {
  test("a server that changes one byte is caught, and the report says where", async () => {
    const port = await rawServer((socket) => socket.on("data", (chunk: Buffer) => socket.write(Buffer.from(chunk.toString("latin1").replace("1 3 ", "1 3!"), "latin1"))));
    const report = await load(port);
    assert.deepEqual(report.errorKinds, { mismatch: 1 });
    assert.equal(report.errors, 1);
    assert.equal(report.linesAnswered, 5 + 3);
    assert.match(report.errorSamples[0] as string, /^client 1: line 3: expected "1 3 abc.*", got "1 3!abc/);
    assert.match(formatLoadReport(report), /errors: 1 clients \(1 mismatch\)\n {4}client 1: line 3/);
  });

  test("a server that never answers makes the run stop at its time limit", async () => {
    const port = await rawServer(() => {});
    const report = await load(port, { timeoutMs: 200 });
    assert.deepEqual(report.errorKinds, { timeout: 2 });
    assert.equal(report.linesAnswered, 0);
    assert.deepEqual(report.latencyMs, { p50: 0, p99: 0, max: 0 });
  });

  test("a closed connection, an error line, an answer too long and a refused connection are counted apart", async () => {
    const closedPort = await rawServer((socket) => socket.end());
    assert.deepEqual((await load(closedPort)).errorKinds, { "closed early": 2 });
    const errorPort = await rawServer((socket) => socket.end("ERR no\n"));
    assert.deepEqual((await load(errorPort)).errorKinds, { "server error": 2 });
    const longPort = await rawServer((socket) => socket.end("x".repeat(2000)));
    assert.deepEqual((await load(longPort)).errorKinds, { mismatch: 2 });
    const gone = servers.pop() as Server;
    await within(new Promise((resolve) => gone.close(resolve)), "the server to close");
    assert.deepEqual((await load(longPort)).errorKinds, { connect: 2 });
  });

  test("clients turned away by a full waiting room are counted as busy", async () => {
    const echo = await startEchoServer({ poolSize: 1, maxWaiting: 0 });
    const report = await within(runLoad({ port: echo.port, clients: 3, lines: 50 }), "the load run");
    await echo.close();
    assert.ok((report.errorKinds["busy"] ?? 0) >= 1, JSON.stringify(report.errorKinds));
    assert.match(report.errorSamples[0] as string, /refused: "ERR busy: 1 clients served and 0 waiting; try again later"/);
  });

  test("pipelined lines (a window of several) are all checked in order", async () => {
    const echo = await startEchoServer();
    const report = await within(runLoad({ port: echo.port, clients: 3, lines: 500, window: 16, lineBytes: 200 }), "the load run");
    await echo.close();
    assert.equal(report.errors, 0);
    assert.equal(report.linesAnswered, 1500);
    assert.equal(report.window, 16);
    assert.ok(report.latencyMs.p50 > 0 && report.latencyMs.p50 <= report.latencyMs.p99 && report.latencyMs.p99 <= report.latencyMs.max);
    assert.match(formatLoadReport(report), /1,500 of 1,500 lines echoed intact .* lines\/s\n {2}latency per line: p50 .* ms · p99 .* ms · max .* ms\n {2}errors: none$/);
  });

  test("it talks to loopback only, and every count is bounded", () => {
    assert.throws(() => runLoad({ port: 7000, host: "10.0.0.1" }), /loopback/);
    assert.throws(() => runLoad({ port: 7000, host: "example.com" }), /loopback/);
    assert.throws(() => runLoad({ port: 0 }), RangeError);
    assert.throws(() => runLoad({ port: 70_000 }), /at most 65535/);
    assert.throws(() => runLoad({ port: 7000, clients: 10_001 }), /clients must be at most 10000/);
    assert.throws(() => runLoad({ port: 7000, lines: 1_000_001 }), /lines must be at most/);
    assert.throws(() => runLoad({ port: 7000, clients: 1000, lines: 20_000 }), /clients × lines/);
    assert.throws(() => runLoad({ port: 7000, lineBytes: 8 }), RangeError);
    assert.throws(() => runLoad({ port: 7000, lineBytes: 100_000 }), /lineBytes must be at most/);
    assert.throws(() => runLoad({ port: 7000, timeoutMs: 3_600_000 }), /10 minutes/);
    assert.throws(() => runLoad(null as unknown as { port: number }), TypeError);
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) {
      assert.doesNotThrow(() => void runLoad({ port: 9, host, clients: 1, lines: 1, timeoutMs: 1 }).catch(() => {}));
    }
  });
});
