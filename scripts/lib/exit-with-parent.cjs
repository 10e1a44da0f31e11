/**
 * Preloaded into the services the bench starts (NODE_OPTIONS=--require this file): a service whose
 * parent is gone stops itself. The bench stops its services on every exit path it sees, but it cannot
 * see them all: a SIGKILL, a crash of the bench, or a forced exit while a service is still starting
 * (spawnService has not handed the process over yet). When the parent dies the service is re-parented,
 * its ppid changes, and it sends itself the SIGINT the bench would have sent (a drain without the grace
 * period: no load balancer is waiting on it), then
 * exits for good if that stop hangs.
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
