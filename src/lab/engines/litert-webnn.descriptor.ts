import { litertDescriptor } from './litert-precisions.ts';

/** LiteRT.js on WebNN (JSPI build), where the browser offers WebNN. */
export const LITERT_WEBNN = litertDescriptor('litert-webnn', 'webnn', 'LiteRT WebNN', ['fp32']);
