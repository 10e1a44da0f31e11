import { CheckoutRepository } from './checkout.repository';
import { OrderRepository } from './order.repository';
import { OutboxRepository } from './outbox.repository';

export { CheckoutRepository, OrderRepository, OutboxRepository };

/** The order service's tables, one repository per aggregate: services hold the rules, these the queries. */
export interface OrderRepositories {
  checkouts: CheckoutRepository;
  orders: OrderRepository;
  outbox: OutboxRepository;
}

export function createOrderRepositories(): OrderRepositories {
  return { checkouts: new CheckoutRepository(), orders: new OrderRepository(), outbox: new OutboxRepository() };
}
