/** Terminal styling that switches itself off when the output is not a terminal. */
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;

const paint = (code: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** ✓ or ✗, coloured. */
export function mark(ok: boolean): string {
  return ok ? green("✓") : red("✗");
}

/** A progress bar of `width` cells. */
export function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return green("█".repeat(filled)) + dim("░".repeat(width - filled));
}

/** Pads `text` with spaces to `width` characters, cutting it with … if longer. */
export function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
