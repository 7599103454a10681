// Version-1 B-trees (HDF5 spec III.A.1, "TREE"): the index of an old-style group's symbol table nodes
// (node type 0) and of a chunked dataset's chunks (node type 1). A node holds its type, its level (0 for a
// leaf), and keys and child addresses interleaved, key 0 to key N around children 0 to N − 1.
import type { Block, Hdf5Context } from "./block.js";

/** Deepest version-1 B-tree this reader follows. */
const MAX_TREE_DEPTH = 64;

/** A leaf entry: the key before the child (its bytes) and the child's address. */
export interface BTreeEntry {
  key: Block;
  child: number;
}

/** The leaf entries of the version-1 B-tree of node `type` at `root` (keys of `keySize` bytes), left to right; `what` names it in errors. */
export function btreeV1Entries(ctx: Hdf5Context, root: number, type: 0 | 1, keySize: number, what: string): BTreeEntry[] {
  const out: BTreeEntry[] = [];
  const seen = new Set<number>();
  const visit = (address: number, expectLevel: number | null, depth: number): void => {
    if (depth > MAX_TREE_DEPTH) ctx.fail(address, `${what}: a B-tree deeper than ${MAX_TREE_DEPTH}`);
    if (seen.has(address)) ctx.fail(address, `${what}: a B-tree node reached twice (a cycle)`);
    seen.add(address);
    ctx.expect(address, "TREE", `${what} B-tree node`);
    const head = ctx.block(address, 8, `${what} B-tree node`);
    const [nodeType, level, entries] = [head.u8(4), head.u8(5), head.u16(6)];
    if (nodeType !== type) head.fail(4, `B-tree node type ${nodeType} where ${what} is indexed (${type})`);
    if (expectLevel !== null && level !== expectLevel) head.fail(5, `B-tree node level ${level} below a node of level ${expectLevel + 1}`);
    const start = 8 + 2 * ctx.offsetSize;
    const step = keySize + ctx.offsetSize;
    const node = ctx.block(address, start + entries * step + keySize, `${what} B-tree node`);
    for (let e = 0; e < entries; e++) {
      const p = start + e * step;
      const child = node.address(p + keySize);
      if (level > 0) visit(child, level - 1, depth + 1);
      else out.push({ key: node.sub(p, keySize), child });
    }
  };
  visit(root, null, 0);
  return out;
}
