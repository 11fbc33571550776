/// <reference types="vite/client" />

/** Pinned package versions, injected at build time by vite.config.ts. */
declare const __ORT_VERSION__: string;
declare const __TFJS_VERSION__: string;
declare const __APP_VERSION__: string;
