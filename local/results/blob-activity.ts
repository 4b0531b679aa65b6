/**
 * Counts what the blob endpoint sees, so that a test (or a report) can tell whether the Azure
 * SDK really had several blocks of one upload in flight, and whether blocks finished arriving in
 * another order than the block list names them — the situation that list-order assembly exists
 * for (and that appending blocks in arrival order, as some emulators do, gets wrong).
 */
export interface BlobStats {
  /** Put Block requests that were stored */
  blocksStaged: number;
  /** Put Block List requests that committed a blob */
  blockListsCommitted: number;
  /** Put Blob requests that committed a blob */
  blobsPut: number;
  /** the most Put Block requests of ONE upload that were being received at the same time */
  maxBlocksInFlight: number;
  /** committed block lists whose order differs from the order their blocks finished arriving */
  blockListsOutOfArrivalOrder: number;
}

export class BlobActivity {
  private readonly counts: BlobStats = {
    blocksStaged: 0,
    blockListsCommitted: 0,
    blobsPut: 0,
    maxBlocksInFlight: 0,
    blockListsOutOfArrivalOrder: 0,
  };
  private readonly inFlight = new Map<string, number>();
  /** per upload: how many Put Block requests were received so far */
  private readonly received = new Map<string, number>();
  /** per upload: block id → position in the order blocks finished arriving (a re-stage moves it) */
  private readonly arrivals = new Map<string, Map<string, number>>();
  private arrivalCounter = 0;

  /**
   * Wraps the staging of one block: counts it in flight while `stage` runs, and tells `stage`
   * the position of this request among the upload's Put Block requests (0-based, as received).
   */
  async stageBlock<T>(
    uploadId: string,
    blockId: string,
    stage: (receivedIndex: number) => Promise<T>,
  ): Promise<T> {
    const receivedIndex = this.received.get(uploadId) ?? 0;
    this.received.set(uploadId, receivedIndex + 1);
    const current = (this.inFlight.get(uploadId) ?? 0) + 1;
    this.inFlight.set(uploadId, current);
    this.counts.maxBlocksInFlight = Math.max(this.counts.maxBlocksInFlight, current);
    try {
      const result = await stage(receivedIndex);
      this.counts.blocksStaged++;
      let order = this.arrivals.get(uploadId);
      if (!order) this.arrivals.set(uploadId, (order = new Map<string, number>()));
      order.set(blockId, this.arrivalCounter++);
      return result;
    } finally {
      const left = (this.inFlight.get(uploadId) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(uploadId);
      else this.inFlight.set(uploadId, left);
    }
  }

  committedBlockList(uploadId: string, blockIds: readonly string[]): void {
    this.counts.blockListsCommitted++;
    const order = this.arrivals.get(uploadId);
    this.forget(uploadId);
    const positions = blockIds.map((id) => order?.get(id) ?? -1);
    if (positions.some((p, i) => i > 0 && p < (positions[i - 1] ?? -1)))
      this.counts.blockListsOutOfArrivalOrder++;
  }

  putBlob(uploadId: string): void {
    this.counts.blobsPut++;
    this.forget(uploadId);
  }

  private forget(uploadId: string): void {
    this.arrivals.delete(uploadId);
    this.received.delete(uploadId);
  }

  stats(): BlobStats {
    return { ...this.counts };
  }
}
