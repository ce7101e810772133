// The stacks the benchmark compares, by id (the memory child processes look them up by name).
import { forgeStack } from './forge-stack.js';
import { nodeStack, tlsKitAdapter } from './node-stack.js';
import type { Stack } from './stack.js';
import { tlsKitNoble, tlsKitNode } from './tls-kit-stack.js';

/** The engine cases' stacks (tls-kit through the bench's own glue). */
export const STACKS: readonly Stack[] = [tlsKitNode, tlsKitNoble, nodeStack, forgeStack];

export function stackById(id: string): Stack {
  const stack = [...STACKS, tlsKitAdapter].find((s) => s.id === id);
  if (!stack) throw new Error(`unknown stack ${id}`);
  return stack;
}
