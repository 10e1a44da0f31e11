/**
 * The cart scenarios' data, prepared through the gateway before any load, the way a storefront would:
 * users whose carts hold a given number of lines (AddToCart, one variant at a time), and users who will
 * add to their carts during the load, each with a token the gateway accepts.
 */
import { print } from 'graphql';
import { AddToCartDocument, SetStockDocument, type AddToCartMutation, type SetStockMutation } from '@storefront/client';
import { signDevToken } from '@storefront/gateway';
import { dataOf, postGraphQL, type Target } from './graphql-http';

export const ADD_TO_CART_QUERY = print(AddToCartDocument);
const SET_STOCK_QUERY = print(SetStockDocument);

/** Longer than any bench: a token that expires mid-run would turn into errors. */
const TOKEN_LIFETIME = '12h';

/** Concurrent admin requests while raising stock: enough to be quick, few enough not to queue on SQLite. */
const SET_STOCK_CONCURRENCY = 4;

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function signToken(secret: string, userId: string, roles: string[] = []): Promise<string> {
  return signDevToken({ userId, roles, secret, expiresIn: TOKEN_LIFETIME });
}

export interface FilledCart {
  userId: string;
  token: string;
  /** Lines in the cart, one unit of a distinct variant each (so totalQuantity is the same number). */
  lines: number;
}

/**
 * One user per size, whose cart gets `size` distinct variants, one unit each, through AddToCart on the
 * gateway; each answer is checked (no errors, no userErrors, one more line). The carts fill in parallel.
 * `checkpoint` runs between requests and throws to stop (interrupt, a service gone).
 */
export async function fillCarts(options: {
  gateway: Target;
  jwtSecret: string;
  sizes: number[];
  variantIds: string[];
  checkpoint: () => void;
}): Promise<FilledCart[]> {
  const { gateway, jwtSecret, sizes, variantIds, checkpoint } = options;
  const largest = Math.max(...sizes);
  if (variantIds.length < largest) throw new Error(`A cart of ${largest} lines needs ${largest} variants; the catalog offers ${variantIds.length}.`);
  return Promise.all(
    sizes.map(async (size) => {
      const userId = `bench-cart-${size}-lines`;
      const token = await signToken(jwtSecret, userId);
      for (let i = 0; i < size; i += 1) {
        checkpoint();
        const what = `Filling the ${size}-line cart (line ${i + 1})`;
        const data = dataOf<AddToCartMutation>(
          what,
          await postGraphQL(gateway, { query: ADD_TO_CART_QUERY, variables: { variantId: variantIds[i], quantity: 1 } }, bearer(token)),
        );
        const { cart, userErrors } = data.addToCart;
        if (userErrors.length > 0) throw new Error(`${what} was refused: ${JSON.stringify(userErrors)}`);
        if (cart?.lines.length !== i + 1) throw new Error(`${what}: the cart has ${cart?.lines.length ?? 'no'} lines, expected ${i + 1}.`);
      }
      return { userId, token, lines: size };
    }),
  );
}

export interface Adders {
  /** One token per user; user u adds to its own cart. */
  tokens: string[];
  /** The variants users add, user u the (u mod length)-th; each has `stock` units, so no add runs out. */
  variantIds: string[];
  stock: number;
}

/**
 * Users for the addToCart load, and their variants with stock raised to `stock` (the catalog's admin
 * setStock through the gateway, checked), so that a line reaching the cart's per-line limit never
 * meets "insufficient stock" first. Raising stock changes only these variants of the bench catalog.
 */
export async function prepareAdders(options: {
  gateway: Target;
  jwtSecret: string;
  users: number;
  variantIds: string[];
  stock: number;
  checkpoint: () => void;
}): Promise<Adders> {
  const { gateway, jwtSecret, users, variantIds, stock, checkpoint } = options;
  await raiseStock({ gateway, jwtSecret, variantIds, stock, checkpoint });
  const tokens: string[] = [];
  for (let u = 0; u < users; u += 1) tokens.push(await signToken(jwtSecret, `bench-adder-${u}`));
  return { tokens, variantIds, stock };
}

/**
 * Sets the stock of `variantIds` to `stock` with the catalog's admin setStock through the gateway, each
 * answer checked. Changes only these variants of the bench catalog.
 */
export async function raiseStock(options: {
  gateway: Target;
  jwtSecret: string;
  variantIds: string[];
  stock: number;
  checkpoint: () => void;
}): Promise<void> {
  const { gateway, jwtSecret, variantIds, stock, checkpoint } = options;
  const admin = bearer(await signToken(jwtSecret, 'bench-admin', ['admin']));
  let next = 0;
  const worker = async () => {
    while (next < variantIds.length) {
      checkpoint();
      const variantId = variantIds[next++];
      const what = `Raising the stock of variant ${variantId}`;
      const data = dataOf<SetStockMutation>(what, await postGraphQL(gateway, { query: SET_STOCK_QUERY, variables: { variantId, stock } }, admin));
      const { variant, userErrors } = data.setStock;
      if (userErrors.length > 0 || variant?.stock !== stock) throw new Error(`${what} failed: ${JSON.stringify(data.setStock)}`);
    }
  };
  await Promise.all(Array.from({ length: SET_STOCK_CONCURRENCY }, worker));
}
