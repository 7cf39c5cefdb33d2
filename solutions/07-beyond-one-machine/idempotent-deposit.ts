/**
 * Exercise 07.1 · An idempotent task — a solution.
 *
 * The ledger's primary key is the idempotency key. Each deposit first tries to
 * insert its key; only the transaction whose insert lands moves the balance,
 * and it writes the balance it produced into its ledger row, so every later
 * call with the same key reads the same answer. A second transaction with the
 * same key, at the same moment, waits on the key's index entry until the first
 * commits, then finds the conflict: there is no window between looking and
 * writing.
 */
import type pg from "pg";
import { createPgPool, resolveConnectionString } from "pools-by-hand";

let db: pg.Pool | undefined;

/** This process's connections, opened on first use from DATABASE_URL. */
export function ledger(): pg.Pool {
  db ??= createPgPool(resolveConnectionString(undefined), 4);
  return db;
}

/** Closes this process's connections (the tests call it when they are done). */
export async function closeLedger(): Promise<void> {
  await db?.end();
  db = undefined;
}

/** Creates the two tables if they are not there yet. */
export async function setUpLedger(): Promise<void> {
  await ledger().query(`
    create table if not exists exercise_accounts (account text primary key, balance bigint not null);
    create table if not exists exercise_ledger (
      key           text primary key,
      account       text   not null,
      amount        bigint not null,
      balance_after bigint not null
    );`);
}

/** Adds `amount` to `account` once per `key`; resolves to the balance right after that deposit. */
export async function deposit(key: string, account: string, amount: number): Promise<number> {
  const client = await ledger().connect();
  try {
    await client.query("begin");
    // balance_after is filled in below, in the same transaction.
    const claimed = await client.query("insert into exercise_ledger (key, account, amount, balance_after) values ($1, $2, $3, 0) on conflict (key) do nothing", [
      key,
      account,
      amount,
    ]);
    let after: number;
    if (claimed.rowCount === 1) {
      const { rows } = await client.query<{ balance: string }>(
        `insert into exercise_accounts (account, balance) values ($1, $2)
         on conflict (account) do update set balance = exercise_accounts.balance + excluded.balance
         returning balance`,
        [account, amount],
      );
      after = Number(rows[0]?.balance);
      await client.query("update exercise_ledger set balance_after = $2 where key = $1", [key, after]);
    } else {
      const { rows } = await client.query<{ balance_after: string }>("select balance_after from exercise_ledger where key = $1", [key]);
      after = Number(rows[0]?.balance_after);
    }
    await client.query("commit");
    return after;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The account's balance; 0 if it has none. */
export async function balance(account: string): Promise<number> {
  const { rows } = await ledger().query<{ balance: string }>("select balance from exercise_accounts where account = $1", [account]);
  return rows.length === 0 ? 0 : Number(rows[0]?.balance);
}
