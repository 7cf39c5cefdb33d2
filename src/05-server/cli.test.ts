import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { within } from "../../testkit/index.js";
import { runCli } from "./cli.js";
import { startEchoServer } from "./index.js";

async function cli(argv: string[]): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const code = await within(runCli(argv, (line) => printed.push(line)), `runCli ${argv.join(" ")}`, 10_000);
  return { code, output: printed.join("\n") };
}

describe("the command line", () => {
  test("load prints the report and exits 0 when every echo was right, 1 otherwise", async () => {
    const echo = await startEchoServer({ poolSize: 1, maxWaiting: 0 });
    try {
      const good = await cli(["load", "--port", String(echo.port), "--clients", "1", "--lines", "20", "--line-bytes", "32", "--window", "2", "--timeout-ms", "5000"]);
      assert.equal(good.code, 0);
      assert.match(good.output, /^1 clients × 20 lines of 32 bytes \(2 in flight each\) → 127\.0\.0\.1:\d+\n {2}20 of 20 lines echoed intact/);
      const busy = await cli(["load", "--port", String(echo.port), "--clients", "5", "--lines", "200"]);
      assert.equal(busy.code, 1);
      assert.match(busy.output, /busy/);
    } finally {
      await echo.close();
    }
  });

  test("a command line it cannot use prints why and the usage, and exits 2; a port in use exits 1", async () => {
    for (const argv of [[], ["bogus"], ["load"], ["load", "--port", "80", "--host", "192.168.1.1"], ["serve", "--nope"], ["serve", "--pool-size", "0"]]) {
      const { code, output } = await cli(argv);
      assert.equal(code, 2, argv.join(" "));
      assert.match(output, /usage:\n {2}serve/);
    }
    const echo = await startEchoServer();
    try {
      const taken = await cli(["serve", "--port", String(echo.port)]);
      assert.equal(taken.code, 1);
      assert.match(taken.output, /^serve: listen EADDRINUSE/);
    } finally {
      await echo.close();
    }
  });
});
