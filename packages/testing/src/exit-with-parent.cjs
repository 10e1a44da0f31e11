/**
 * Preloaded (NODE_OPTIONS=--require this file) into services started in their own process group
 * (`spawnService({ ownProcessGroup: true })`: `npm start`, the benchmark), which a terminal's Ctrl-C does
 * not reach: a service whose parent is gone stops itself. The parent stops its services on every exit
 * path it sees, but it cannot see them all: a SIGKILL, a crash, or a forced exit while a service is still
 * starting. When the parent dies the service is re-parented, its ppid changes, and it sends itself the
 * SIGINT the parent would have sent (a drain without the grace period), then exits for good if that
 * stop hangs.
 */
'use strict';

const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => process.exit(1), 15_000).unref();
}, 500);
timer.unref();
