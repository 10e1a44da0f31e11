import { LeaseSchema } from '@storefront/service-kit';
import { CheckoutSchema } from './checkout.entity';
import { OrderLineSchema } from './order-line.entity';
import { OrderSchema } from './order.entity';
import { OutboxSchema } from './outbox.entity';

export * from './checkout.entity';
export * from './order-line.entity';
export * from './order.entity';
export * from './outbox.entity';

export const ORDER_ENTITIES = [OrderSchema, OrderLineSchema, CheckoutSchema, OutboxSchema, LeaseSchema];
