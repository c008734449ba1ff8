import { ParsimonyError } from '@parsimony/core';
import { greedyClusters, residualPredictor, type BlockSet } from './engine.js';

/** Cluster lists from labels (clusters in order of first appearance, empty ones dropped). */
export function groupsOf(label: ArrayLike<number>): number[][] {
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < label.length; i++) {
    const g = byLabel.get(label[i]);
    if (g) g.push(i);
    else byLabel.set(label[i], [i]);
  }
  return [...byLabel.values()];
}

/** k for the comparison baselines: given, or the number of clusters residual-bound clustering finds. */
export function clusterCount(where: string, set: BlockSet, rank: number, clusters: number | undefined, errorBound: number | undefined, signal?: AbortSignal): number {
  if (clusters !== undefined && clusters !== 0) {
    if (!Number.isInteger(clusters) || clusters < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: options.clusters = ${clusters}; expected an integer >= 1`, 'options.clusters');
    return Math.min(clusters, set.blocks.length);
  }
  const opts = { rank, errorBound, signal };
  return greedyClusters(set, residualPredictor(set, rank), 'norm', opts).clusters.length;
}

