/// <reference types="vite/client" />

/** Pinned package versions, injected at build time by vite.config.ts. */
/** Runtime name → its pinned package version (every runtime an engine descriptor names). */
declare const __RUNTIME_VERSIONS__: Readonly<Record<string, string>>;
declare const __APP_VERSION__: string;
