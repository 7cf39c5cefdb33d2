/**
 * Exercise 07.1 · An idempotent task
 *
 * A queue in Postgres delivers each job at least once: a worker killed after
 * a task's side effect but before its result is stored has the job run again
 * elsewhere. The pool still settles the caller's result once — but the side
 * effect happened twice. A deposit that adds money twice is a bug; the cure
 * is to make the task idempotent, with an idempotency key chosen by the
 * caller (Stripe's `Idempotency-Key`, Celery's advice for `acks_late` tasks).
 *
 * This module is a tasks module: the pool's worker processes load it and run
 * its exports. They reach the database through `DATABASE_URL`. Build:
 *
 * - `deposit(key, account, amount)`: adds `amount` to the account's balance
 *   once per `key`, and resolves to the balance right after *that* deposit —
 *   the same number every time it is called with the same key, however many
 *   times, even at the same moment from two workers. A key used again for
 *   another account or amount is the first deposit's key: answer as it did.
 * - `balance(account)`: the balance, 0 for an account never seen.
 *
 * The tables are made for you by `setUpLedger()`. Work in one transaction, and
 * let the primary key of `exercise_ledger` decide who is first: a `select`
 * followed by an `insert` lets two workers both find the key missing.
 *
 * Run `npm run exercise -- 07.1` to test, `npm run hint -- 07.1` if stuck.
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
  throw new Error("TODO(07.1): in one transaction, record the key first (insert … on conflict do nothing), then update the balance only if the key was new");
}

/** The account's balance; 0 if it has none. */
export async function balance(account: string): Promise<number> {
  throw new Error("TODO(07.1): read the balance from exercise_accounts");
}
