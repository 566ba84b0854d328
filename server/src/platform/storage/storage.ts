import path from 'node:path'
import type { AppContext } from '../context'
import type { BlobStorage } from './blob-storage'
import { LocalDiskStorage } from './local-disk-storage'

export * from './blob-storage'

const byContext = new WeakMap<AppContext, BlobStorage>()

/**
 * The blob store of this process: local disk under `<dataDir>/attachments` (the only driver
 * today; an S3-compatible driver would be chosen here from the configuration).
 */
export function storageFor(ctx: AppContext): BlobStorage {
  let storage = byContext.get(ctx)
  if (!storage) {
    storage = new LocalDiskStorage(path.join(ctx.config.dataDir, 'attachments'))
    byContext.set(ctx, storage)
  }
  return storage
}
