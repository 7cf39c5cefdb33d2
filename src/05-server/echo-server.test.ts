import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, test } from "node:test";
import { sleep, within } from "../../testkit/index.js";
import { RawClient } from "./fixtures/client.js";
import { runLoad, startEchoServer, type EchoServer, type EchoServerOptions } from "./index.js";
import { iteratedHash } from "./tasks.js";

const servers: EchoServer[] = [];
const clients: RawClient[] = [];
// A failed assertion must not leave sockets or threads that keep this file's process alive.
after(async () => {
  for (const client of clients) client.socket.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

async function server(options: EchoServerOptions = {}): Promise<EchoServer> {
  const started = await within(startEchoServer(options), "startEchoServer()");
  servers.push(started);
  return started;
}

function client(port: number, options: { read?: boolean } = {}): RawClient {
  const made = new RawClient(port, options);
  clients.push(made);
  return made;
}

/** Polls until `test` holds; the caller bounds it with `within`. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await sleep(5);
}

describe("startEchoServer", () => {
  test("200 clients × 100 lines on loopback: every echo correct, nothing lost", async () => {
    const echo = await server({ poolSize: 64, maxWaiting: 1000 });
    const report = await within(runLoad({ port: echo.port, clients: 200, lines: 100, timeoutMs: 20_000 }), "the load run", 25_000);
    assert.equal(report.errors, 0, report.errorSamples.join("\n"));
    assert.equal(report.linesAnswered, 20_000);
    assert.equal(report.linesSent, 20_000);
    await within(until(() => echo.stats().serving === 0), "every connection to close");
    const stats = echo.stats();
    assert.equal(stats.linesReceived, 20_000);
    assert.equal(stats.linesAnswered, 20_000);
    assert.equal(stats.accepted, 200);
  });

  test("it binds 127.0.0.1 unless told otherwise", async () => {
    const echo = await server();
    assert.equal(echo.host, "127.0.0.1");
    assert.ok(echo.port > 0);
  });

  test("shutdown in the middle of a load run answers every line it accepted before closing the socket", async () => {
    const echo = await server({ poolSize: 40, maxWaiting: 1000 });
    const load = runLoad({ port: echo.port, clients: 100, lines: 1000, window: 4, timeoutMs: 20_000 });
    await within(until(() => echo.stats().linesAnswered >= 3000), "3000 lines answered before the shutdown", 10_000);
    await within(echo.close(), "close() in the middle of the run", 6_000);
    const report = await within(load, "the load run to end", 10_000);
    const stats = echo.stats();
    assert.ok(report.linesAnswered < 100_000, "the shutdown came before the end of the run");
    assert.equal(report.errorKinds["mismatch"], undefined, report.errorSamples.join("\n"));
    assert.equal(stats.forced, 0);
    assert.equal(stats.linesReceived, stats.linesAnswered, "every line read was answered");
    assert.equal(report.linesAnswered, stats.linesAnswered, "every answer reached its client intact");
    assert.equal(stats.serving + stats.waiting, 0);
  });

  test("a pending thread-pool answer is still sent when close() comes", async () => {
    const echo = await server({ hashIn: "threads", hashPoolSize: 1 });
    const one = client(echo.port);
    one.write("hash 100000 pending\n");
    await within(until(() => echo.stats().linesReceived === 1), "the hash line to be read");
    await within(echo.close(), "close() while the hash computes", 6_000);
    await within(one.closed, "the client to be closed");
    assert.equal(one.text, `${iteratedHash(100_000, "pending")}\n`);
  });

  test("past the shutdown deadline, what is left is destroyed and close() still resolves", async () => {
    const echo = await server({ hashIn: "threads", hashPoolSize: 1, shutdownTimeoutMs: 100, maxHashRounds: 50_000_000 });
    const stuck = client(echo.port);
    stuck.write("hash 50000000 forever\n");
    await within(until(() => echo.stats().linesReceived === 1), "the hash line to be read");
    await within(echo.close(), "close() with a 100 ms deadline");
    await within(stuck.closed, "the stuck client to be closed");
    assert.equal(echo.stats().forced, 1);
    assert.equal(stuck.text, "");
  });

  test("bad lines, a silent client, a client leaving mid-line and binary junk each end only their own connection", async () => {
    const echo = await server({ poolSize: 16, maxLineBytes: 1024, idleTimeoutMs: 300, lingerMs: 200 });
    const load = runLoad({ port: echo.port, clients: 10, lines: 300, timeoutMs: 10_000 });

    const tooLong = client(echo.port);
    tooLong.write("fine\n");
    tooLong.write("x".repeat(5000));
    const silent = client(echo.port);
    const leaving = client(echo.port);
    leaving.write("complete line\nhalf a li");
    await within(leaving.receivedText("complete line\n"), "the complete line's echo");
    leaving.socket.destroy();
    // Random bytes, with a \n at least every 500 so no line passes the limit, and no `h` so none is a hash command.
    const junk = Buffer.from(randomBytes(20_000).map((byte, i) => (i % 500 === 499 ? 10 : byte === 0x68 ? 0x67 : byte)));
    const lastNewline = junk.lastIndexOf(10);
    const binary = client(echo.port);
    binary.write(junk);
    binary.socket.end();

    await within(tooLong.closed, "the too-long client to be closed");
    assert.equal(tooLong.text, "fine\nERR line too long: more than 1024 bytes\n");
    await within(silent.closed, "the silent client to be closed", 3000);
    assert.equal(silent.text, "ERR idle: nothing received for 300 ms\n");
    await within(binary.closed, "the binary client to be closed");
    assert.ok(binary.received.equals(junk.subarray(0, lastNewline + 1)), "the junk comes back byte for byte, up to its last \\n");

    const report = await within(load, "the load run beside them", 12_000);
    assert.equal(report.errors, 0, report.errorSamples.join("\n"));
    assert.equal(report.linesAnswered, 3000);
    await within(until(() => echo.stats().serving === 0), "every connection to close");
    assert.equal(echo.stats().tooLong, 1);
    assert.equal(echo.stats().idleClosed, 1);
  });

  test("at most poolSize clients are served; the waiting room holds maxWaiting; the next is told it is busy", async () => {
    const echo = await server({ poolSize: 2, maxWaiting: 1 });
    const first = client(echo.port);
    const second = client(echo.port);
    for (const served of [first, second]) {
      served.write("hello\n");
      await within(served.receivedText("hello\n"), "a served client's echo");
    }
    const waiting = client(echo.port);
    waiting.write("my turn\n");
    await within(until(() => echo.stats().waiting === 1), "the third client to wait");
    const refused = client(echo.port);
    await within(refused.closed, "the fourth client to be turned away");
    assert.match(refused.text, /^ERR busy: 2 clients served and 1 waiting; try again later\n$/);
    assert.equal(waiting.text, "", "a waiting client is not read yet");
    assert.deepEqual({ serving: echo.stats().serving, waiting: echo.stats().waiting, refused: echo.stats().refused }, { serving: 2, waiting: 1, refused: 1 });
    first.socket.end();
    await within(waiting.receivedText("my turn\n"), "the waiting client's turn");
  });

  test("a waiting client is refused at shutdown; a serving one's lines are answered", async () => {
    const echo = await server({ poolSize: 1, maxWaiting: 5 });
    const serving = client(echo.port);
    serving.write("served\n");
    await within(serving.receivedText("served\n"), "the served client's echo");
    const waiting = client(echo.port);
    waiting.write("never read\n");
    await within(until(() => echo.stats().waiting === 1), "the second client to wait");
    await within(echo.close(), "close()");
    await within(Promise.all([serving.closed, waiting.closed]), "both clients to be closed");
    assert.equal(waiting.text, "ERR shutting down\n");
    assert.equal(serving.text, "served\n");
  });

  test("a client that does not read is not read either, until it does (back-pressure)", async () => {
    const echo = await server();
    const slow = client(echo.port, { read: false });
    await within(slow.connected, "the connection");
    const line = `${"b".repeat(1023)}\n`;
    const lines = 20_000; // 20 MB: far more than the socket buffers hold
    for (let i = 0; i < lines; i++) slow.write(line);
    await within(until(() => echo.stats().linesReceived > 0), "the first lines to be read");
    let before = -1;
    await within(
      (async () => {
        while (before !== echo.stats().linesReceived) {
          before = echo.stats().linesReceived;
          await sleep(100);
        }
      })(),
      "reading to stop while the client does not read",
      10_000,
    );
    assert.ok(before < lines, `the server stopped at ${before} of ${lines} lines`);
    slow.socket.resume();
    await within(slow.receivedBytes(lines * line.length), "every echo once the client reads", 20_000);
    assert.ok(slow.received.equals(Buffer.from(line.repeat(lines))));
  });

  test("a hash line runs on a thread: another client's echo comes before it is done", async () => {
    const echo = await server({ hashIn: "threads", hashPoolSize: 1 });
    const hashing = client(echo.port);
    hashing.write("hash 400000 seed\n");
    await within(until(() => echo.stats().linesReceived === 1), "the hash line to be read");
    const other = client(echo.port);
    other.write("still here\n");
    await within(other.receivedText("still here\n"), "the other client's echo");
    assert.equal(hashing.text, "", "the hash is still computing");
    await within(hashing.receivedText("\n"), "the digest", 10_000);
    assert.match(hashing.text, /^[0-9a-f]{64}\n$/);
  });

  test("on the event loop, a hash line holds every other client until it is done", async () => {
    const echo = await server({ hashIn: "event-loop" });
    const other = client(echo.port);
    other.write("before\n");
    await within(other.receivedText("before\n"), "a first echo");
    const hashing = client(echo.port);
    hashing.write("hash 300000 seed\n");
    await within(hashing.connected, "the hashing client's connection");
    await sleep(50); // the server is now computing, or about to
    other.write("during\n");
    await within(other.receivedText("during\n"), "the other client's echo", 10_000);
    assert.match(hashing.text, /^[0-9a-f]{64}\n$/, "the digest came first: the loop could do nothing else");
  });

  test("a bad hash line is answered with an error and the connection goes on; hashIn 'off' echoes it", async () => {
    const on = await server({ hashIn: "event-loop", maxHashRounds: 10 });
    const asking = client(on.port);
    asking.write("hash 11 x\nhash nope\nhash 1 abc\nplain\n");
    await within(asking.receivedText("plain\n"), "four answers");
    assert.equal(
      asking.text,
      'ERR hash needs a number of rounds from 1 to 10, got "11"\n' +
        'ERR hash needs a number of rounds from 1 to 10, got "nope"\n' +
        `${iteratedHash(1, "abc")}\nplain\n`,
    );
    const off = await server({ hashIn: "off" });
    const echoing = client(off.port);
    echoing.write("hash 5 x\n");
    await within(echoing.receivedText("\n"), "the echo");
    assert.equal(echoing.text, "hash 5 x\n");
  });

  test("a client that sends its lines and its FIN still gets every answer, the slow ones too", async () => {
    const echo = await server({ hashIn: "threads", hashPoolSize: 1 });
    const halfClosing = client(echo.port);
    halfClosing.write("a\nhash 1000 b\nc\npartial");
    halfClosing.socket.end();
    await within(halfClosing.closed, "the server to close after its answers");
    assert.equal(halfClosing.text, `a\n${iteratedHash(1000, "b")}\nc\n`);
  });

  test("close() can be called twice, stops accepting, and the port stays readable", async () => {
    const echo = await server();
    const port = echo.port;
    const closing = echo.close();
    assert.equal(echo.close(), closing);
    await within(closing, "close()");
    assert.equal(echo.port, port, "the port is still known, to start a successor on it");
    const late = client(echo.port);
    await within(late.closed, "a refused connection");
    assert.equal(late.text, "");
  });

  test("bad options are refused at the call, naming the option", () => {
    assert.throws(() => startEchoServer({ poolSize: 0 }), /poolSize must be at least 1/);
    assert.throws(() => startEchoServer({ port: 70_000 }), /port must be at most 65535/);
    assert.throws(() => startEchoServer({ host: "" }), TypeError);
    assert.throws(() => startEchoServer({ idleTimeoutMs: -1 }), RangeError);
    assert.throws(() => startEchoServer({ hashIn: "gpu" as "threads" }), /hashIn must be/);
    assert.throws(() => startEchoServer(null as unknown as EchoServerOptions), TypeError);
  });

  test("a port already taken rejects the promise", async () => {
    const echo = await server();
    await assert.rejects(within(startEchoServer({ port: echo.port }), "the second listen"), /EADDRINUSE/);
  });
});
