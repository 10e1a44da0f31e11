/**
 * For a script that runs processes until told to stop (`npm start`, `npm run cluster`): `stop(code)`
 * stops what `running()` returns once, however many signals or failures ask for it, then exits with
 * `code` (1 if stopping failed). `stopping()` says whether it has been asked, so a process ending
 * during the stop is not taken for a failure.
 */
export function stopOnce(running: () => { stop(): Promise<void> } | undefined): { stop: (code: number) => void; stopping: () => boolean } {
  let stopped: Promise<void> | undefined;
  return {
    stop(code) {
      stopped ??= (running()?.stop() ?? Promise.resolve()).then(
        () => process.exit(code),
        (error: unknown) => {
          console.error(error instanceof Error ? error.message : error);
          process.exit(code || 1);
        },
      );
    },
    stopping: () => stopped !== undefined,
  };
}
