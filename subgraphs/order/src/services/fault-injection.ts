import { writeSync } from 'node:fs';
import type { Logger } from '@storefront/service-kit';

/**
 * The boundaries of checkout where the crash tests kill the order service (ORDER_FAULT_AT): after each
 * remote step returns and before its result is saved, and after each save.
 */
export const CHECKOUT_STEPS = [
  'recorded', // checkout row saved, nothing else done
  'cart-claimed', // the cart holds the cart for us; not yet saved here
  'claim-saved',
  'stock-reserved', // the catalog took the stock; not yet saved here
  'reservation-saved',
  'order-placed', // order and outbox row committed; cart not yet emptied
  'cart-completed', // the cart emptied; outbox row not yet marked done
] as const;

export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

/** Kills the process at `step` when configured to: abruptly (SIGKILL), as a power cut or OOM kill would. */
export function crashPoints(faultAt: CheckoutStep | undefined, logger: Logger) {
  return (step: CheckoutStep): void => {
    if (step !== faultAt) return;
    // Exactly one record of the fault, written synchronously and shaped like the logger's: pino writes
    // asynchronously, so its record would reach the pipe before the SIGKILL or not, at random, and the
    // crash tests could not require it.
    const record = { level: 40, time: Date.now(), ...logger.bindings(), msg: 'fault injection: killing the process', step };
    try {
      writeSync(2, `${JSON.stringify(record)}\n`);
    } finally {
      process.kill(process.pid, 'SIGKILL');
    }
  };
}
