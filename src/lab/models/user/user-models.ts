/**
 * The models users brought into this page, by model id: their cards,
 * manifests and files (as Blobs, handed to each cell's worker with its job;
 * never sent anywhere), and the options they were taken in with (a shared
 * plan records those, with the file's SHA-256).
 */
import type { ModelManifest } from '../manifest';
import type { LocalModelFiles } from '../model-fetch';
import type { PreparedMessage } from './intake-client';
import type { IntakeOptions } from './intake-options';
import type { ModelCard } from './model-card';

export interface UserModelEntry {
  modelId: string;
  sha256: string;
  fileName: string;
  card: ModelCard;
  manifest: ModelManifest;
  local: LocalModelFiles;
  options: IntakeOptions;
}

export class UserModelRegistry {
  private readonly models = new Map<string, UserModelEntry>();
  private readonly listeners = new Set<() => void>();

  add(prepared: PreparedMessage, options: IntakeOptions): UserModelEntry {
    const files = Object.fromEntries(Object.entries(prepared.files).map(([path, bytes]) => [path, new Blob([bytes as Uint8Array<ArrayBuffer>])]));
    const entry: UserModelEntry = {
      modelId: prepared.modelId,
      sha256: prepared.card.sha256,
      fileName: prepared.card.fileName,
      card: prepared.card,
      manifest: prepared.manifest,
      local: { files },
      options,
    };
    this.models.set(entry.modelId, entry);
    this.listeners.forEach((l) => l());
    return entry;
  }

  get(modelId: string): UserModelEntry | undefined {
    return this.models.get(modelId);
  }

  list(): UserModelEntry[] {
    return [...this.models.values()];
  }

  /** The files the runner hands to each cell's worker; undefined for a zoo model. */
  local(modelId: string): LocalModelFiles | undefined {
    return this.models.get(modelId)?.local;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
