import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EntitySchema, Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { ServiceContext } from './service-context';

/**
 * Leases with expiry, in the service's own database: how replicas share background work (recovery, the
 * outbox relay, sweeps) so that each item is worked by one replica at a time. A lease names what it
 * covers (`outbox:<id>`, `guest-cart-sweep`); a replica that dies holding one loses it when it expires,
 * and another takes the work over. Built on a conditional UPDATE, so it needs no server-side lock
 * (`GET_LOCK` is not replicated by Galera) and behaves the same on SQLite, MySQL and MariaDB.
 */
export interface LeaseEntity {
  name: string;
  /** Who holds it (see `Leases.holder`); empty once released or never taken. */
  holder: string;
  /** When it lapses, in milliseconds since the epoch (the replicas' clocks are assumed in sync). */
  expiresAt: number;
}

export const LeaseSchema = new EntitySchema<LeaseEntity>({
  name: 'Lease',
  tableName: 'leases',
  columns: {
    name: { type: 'varchar', length: 190, primary: true },
    holder: { type: 'varchar', length: 190 },
    // bigint comes back from MySQL as a string
    expiresAt: { name: 'expires_at', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
  },
});

/** The `leases` table, for every service that runs background work (a migration in each one's list). */
export class CreateLeases1764900000000 implements MigrationInterface {
  name = 'CreateLeases1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'leases',
        columns: [
          { name: 'name', type: 'varchar', length: '190', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '190' },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leases');
  }
}

export class Leases {
  /**
   * This replica's name as a holder: host (at most 64 characters on Linux), process, and a per-server id
   * (two servers in one test process differ): at most 109 characters.
   */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID()}`;

  /**
   * Takes lease `name` for `ttlMs`, or extends it when this holder has it already. False while another
   * holder's lease is unexpired. Two statements, each atomic on its own: the row is made to exist, then
   * taken only if free, so two replicas racing for it cannot both succeed.
   */
  async acquire(ctx: ServiceContext, name: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    // Each statement its own transaction: on SQLite that is what keeps it out of another one open on the
    // single connection, and on MySQL one transaction holding both would take the duplicate row's shared
    // lock and then ask for the exclusive one (two replicas doing so deadlock).
    await ctx.transaction(({ manager }) =>
      manager.createQueryBuilder().insert().into(LeaseSchema).values({ name, holder: '', expiresAt: 0 }).orIgnore().execute(),
    );
    const taken = await ctx.transaction(({ manager }) =>
      manager
        .createQueryBuilder()
        .update(LeaseSchema)
        .set({ holder: this.holder, expiresAt: now + ttlMs })
        .where('name = :name AND (expires_at <= :now OR holder = :holder)', { name, now, holder: this.holder })
        .execute(),
    );
    return taken.affected === 1;
  }

  /** Gives lease `name` up (only if this holder has it), so the next taker need not wait for expiry. */
  async release(ctx: ServiceContext, name: string): Promise<void> {
    await ctx.transaction(({ manager }) => manager.delete(LeaseSchema, { name, holder: this.holder }));
  }

  /** Runs `work` under lease `name` and releases it after; skips it (returns undefined) while another holder has it. */
  async whileHolding<T>(ctx: ServiceContext, name: string, ttlMs: number, work: () => Promise<T>): Promise<T | undefined> {
    if (!(await this.acquire(ctx, name, ttlMs))) return undefined;
    try {
      return await work();
    } finally {
      await this.release(ctx, name).catch((err: unknown) => ctx.logger.warn({ err, lease: name }, 'lease release failed; it lapses on its own'));
    }
  }
}
