/** Polls until `predicate` is true (UI state reaches the remote extension host asynchronously). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
